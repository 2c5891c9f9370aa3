package org.creditlab.rules;

import java.util.Arrays;
import java.util.function.DoubleSupplier;
import org.creditlab.GradCheck;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.LayerSpec;
import org.creditlab.nn.Loss;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.iter.NdIndexIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/** Small convolutional networks built from layer specs, image batches and a finite-difference check for any rank. */
final class ConvFixtures {
    private ConvFixtures() { }

    /**
     * The network of {@code spec} on one example's shape {@code in}, weights drawn by the spec's own path
     * (xavier-normal, or N(0, 1) under ntk:), and, when {@code bias}, random biases (std 0.3) instead of the
     * spec's zeros so that they take part in every comparison.
     */
    static Network build(String spec, long[] in, int classes, Activation hidden, Activation out, Loss loss,
                         boolean bias, DataType dtype, long seed) {
        Random rng = GradCheck.rng(seed);
        Network net = LayerSpec.parse(spec).build(in, classes, hidden, out, Initializer.XAVIER_NORMAL, bias, loss,
                dtype, rng);
        for (Param p : net.params()) {
            if (p.kind() == Param.Kind.BIAS) p.value().assign(GradCheck.gaussian(rng, p.value().shape()).muli(0.3).castTo(dtype));
        }
        return net;
    }

    /** Standard normal examples as the datasets deliver them: flat rows [B, C·H·W] (c order). */
    static INDArray images(long seed, int batch, long[] in, DataType dtype) {
        long d = 1;
        for (long s : in) d *= s;
        return GradCheck.randn(seed, batch, d).castTo(dtype);
    }

    /**
     * The largest relative error ({@link GradCheck#relativeError}) between {@code analytic} and the central
     * differences of f over every entry of {@code x}, whatever its rank (entries addressed by full index).
     */
    static double maxRelativeError(INDArray analytic, INDArray x, DoubleSupplier f) {
        if (!Arrays.equals(analytic.shape(), x.shape())) {
            throw new AssertionError("shape " + Arrays.toString(analytic.shape()) + " vs " + Arrays.toString(x.shape()));
        }
        double worst = 0;
        NdIndexIterator it = new NdIndexIterator(x.shape());
        while (it.hasNext()) {
            long[] i = it.next();
            double orig = x.getDouble(i);
            x.putScalar(i, orig + GradCheck.H);
            double plus = f.getAsDouble();
            x.putScalar(i, orig - GradCheck.H);
            double minus = f.getAsDouble();
            x.putScalar(i, orig);
            double fd = (plus - minus) / (2 * GradCheck.H);
            worst = Math.max(worst, GradCheck.relativeError(analytic.getDouble(i), fd));
        }
        return worst;
    }
}
