package org.creditlab.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Sign-concordant feedback matrices, B = sign(W) ⊙ magnitude (Liao et al. 2016; Moskovitz et al. 2018), written
 * in one pass over memory with sign(0) = 0. The sign-symmetry rules rebuild B from the current W every step;
 * ND4J's sign, abs, multiply and assign took four passes and three temporaries over a weight-sized array, which
 * made usf and frsf cost more than backprop on fc 500,500.
 *
 * <p>The sign is copied with {@link Math#copySign} rather than multiplied by {@link Math#signum}: signum compiled
 * to a branch that cost about 9 ns per value here, more than drawing a random number.
 */
public final class SignConcordant {
    private static final int CHUNK = 2048;

    private SignConcordant() { }

    /** out ← sign(signSource) · magnitude (usf: a constant magnitude); returns out. */
    public static INDArray fill(INDArray out, INDArray signSource, double magnitude) {
        return fill(out, signSource, null, Math.abs(magnitude));
    }

    /**
     * out ← sign(signSource) · |magnitudes| (frsf: fixed random magnitudes; brsf: fresh ones); {@code out} may be
     * {@code magnitudes} itself; returns out.
     */
    public static INDArray fill(INDArray out, INDArray signSource, INDArray magnitudes) {
        return fill(out, signSource, magnitudes, Double.NaN);
    }

    private static INDArray fill(INDArray out, INDArray signSource, INDArray magnitudes, double constant) {
        if (!contiguous(out) || !contiguous(signSource) || (magnitudes != null && !contiguous(magnitudes))
                || !sameLayout(out, signSource) || (magnitudes != null && !sameLayout(out, magnitudes))) {
            // Views, f-order or mixed types: the same result through ND4J ops.
            INDArray m = magnitudes == null ? out.ulike().assign(constant) : Transforms.abs(magnitudes, true);
            return out.assign(Transforms.sign(signSource, true).muli(m));
        }
        int n = (int) out.length();
        if (out.dataType() == DataType.FLOAT) {
            FloatBuffer o = out.data().asNioFloat();
            FloatBuffer w = signSource.data().asNioFloat();
            FloatBuffer m = magnitudes == null ? null : magnitudes.data().asNioFloat();
            float[] sign = new float[CHUNK];
            float[] magnitude = new float[CHUNK];
            if (m == null) Arrays.fill(magnitude, (float) constant);
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                w.get(start, sign, 0, len);
                if (m != null) m.get(start, magnitude, 0, len);
                for (int j = 0; j < len; j++) sign[j] = sign[j] == 0 ? 0 : Math.copySign(magnitude[j], sign[j]);
                o.put(start, sign, 0, len);
            }
        } else {
            DoubleBuffer o = out.data().asNioDouble();
            DoubleBuffer w = signSource.data().asNioDouble();
            DoubleBuffer m = magnitudes == null ? null : magnitudes.data().asNioDouble();
            double[] sign = new double[CHUNK];
            double[] magnitude = new double[CHUNK];
            if (m == null) Arrays.fill(magnitude, constant);
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                w.get(start, sign, 0, len);
                if (m != null) m.get(start, magnitude, 0, len);
                for (int j = 0; j < len; j++) sign[j] = sign[j] == 0 ? 0 : Math.copySign(magnitude[j], sign[j]);
                o.put(start, sign, 0, len);
            }
        }
        return out;
    }

    private static boolean contiguous(INDArray a) {
        return a.ordering() == 'c' && !a.isView() && a.length() <= Integer.MAX_VALUE
                && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE);
    }

    private static boolean sameLayout(INDArray a, INDArray b) {
        return a.dataType() == b.dataType() && Arrays.equals(a.shape(), b.shape());
    }
}
