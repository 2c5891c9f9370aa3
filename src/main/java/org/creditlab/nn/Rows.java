package org.creditlab.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies of batch-first arrays into JVM arrays, for rules that finish a step in plain Java loops, and the small
 * element-wise steps that run faster as such loops than as ND4J ops.
 */
public final class Rows {
    private Rows() { }

    /**
     * The rows of a batch-first array as doubles ([B, rest] flattened per example), copied out in one bulk
     * read: {@code INDArray.toDoubleMatrix} reads element by element, which for node perturbation's [100, 10]
     * outputs cost as much as the rest of its step.
     */
    public static double[][] asDoubles(INDArray t) {
        int b = (int) t.size(0);
        int n = b == 0 ? 0 : (int) (t.length() / b);
        double[] all = flatDoubles(t);
        double[][] rows = new double[b][n];
        for (int i = 0; i < b; i++) System.arraycopy(all, i * n, rows[i], 0, n);
        return rows;
    }

    /**
     * All values in c order as doubles. A contiguous float or double array is read straight from its buffer;
     * anything else is cast and copied by ND4J first (two more native calls, which showed in node perturbation's
     * profile for its three small [B, C] reads per step).
     */
    private static double[] flatDoubles(INDArray t) {
        int len = (int) t.length();
        boolean contiguous = t.ordering() == 'c' && !t.isView();
        if (contiguous && t.dataType() == DataType.FLOAT) {
            float[] f = new float[len];
            t.data().asNioFloat().get(0, f, 0, len);
            double[] d = new double[len];
            for (int i = 0; i < len; i++) d[i] = f[i];
            return d;
        }
        if (contiguous && t.dataType() == DataType.DOUBLE) {
            double[] d = new double[len];
            t.data().asNioDouble().get(0, d, 0, len);
            return d;
        }
        return t.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /**
     * (h − y) / n element by element into a new row-major array of h's shape, in a Java loop: bit for bit ND4J's
     * {@code h.sub(y).divi(n)} (the same two IEEE operations per element, in h's precision, with n rounded to it as
     * ND4J rounds its scalar), at a fraction of those two ops' cost on a step's small [B, C] output (37 µs on
     * [64, 10], this loop and its new array 10 µs). Arrays that are not both contiguous float or both contiguous
     * double take the two ops.
     */
    public static INDArray differenceOver(INDArray h, INDArray y, long n) {
        int len = (int) h.length();
        if (!contiguous(h) || !contiguous(y) || y.length() != len || h.dataType() != y.dataType()) return h.sub(y).divi(n);
        if (h.dataType() == DataType.FLOAT) {
            float[] a = new float[len], b = new float[len];
            h.data().asNioFloat().get(0, a, 0, len);
            y.data().asNioFloat().get(0, b, 0, len);
            float divisor = n;
            for (int i = 0; i < len; i++) a[i] = (a[i] - b[i]) / divisor;
            return Nd4j.create(a, h.shape(), 'c');
        }
        if (h.dataType() == DataType.DOUBLE) {
            double[] a = new double[len], b = new double[len];
            h.data().asNioDouble().get(0, a, 0, len);
            y.data().asNioDouble().get(0, b, 0, len);
            double divisor = n;
            for (int i = 0; i < len; i++) a[i] = (a[i] - b[i]) / divisor;
            return Nd4j.create(a, h.shape(), 'c');
        }
        return h.sub(y).divi(n);
    }

    private static boolean contiguous(INDArray t) {
        return t.ordering() == 'c' && !t.isView();
    }
}
