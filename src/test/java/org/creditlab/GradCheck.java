package org.creditlab;

import java.util.List;
import java.util.function.DoubleSupplier;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Loss;
import org.creditlab.nn.Network;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.nn.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Shared helpers for the finite-difference and reference tests (all in double precision). */
public final class GradCheck {
    private GradCheck() { }

    /** Step of the central differences: truncation error ~h², round-off ~1e-16/h, both far below 1e-9. */
    public static final double H = 1e-5;
    /** Differences below this are round-off, whatever the relative error says. */
    public static final double ABS_FLOOR = 1e-9;

    public static Random rng(long seed) {
        return Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    /** A double-precision fc network with random (not zero) biases so they take part in the check. */
    public static Network network(long inputs, List<Integer> hidden, int classes, Activation hiddenAct,
                                  Activation outAct, Loss loss, long seed) {
        Random rng = rng(seed);
        NetworkSpec spec = new NetworkSpec("fc", new long[] {inputs}, hidden, classes, hiddenAct, outAct,
                Initializer.XAVIER_NORMAL, true, loss, DataType.DOUBLE);
        Network net = spec.build(rng);
        for (Param p : net.params()) {
            if (p.kind() == Param.Kind.BIAS) p.value().assign(gaussian(rng, p.value().shape()).muli(0.3));
        }
        return net;
    }

    public static INDArray randn(long seed, long... shape) {
        return gaussian(rng(seed), shape);
    }

    /** Standard normal entries in double, drawn from {@code rng}. */
    public static INDArray gaussian(Random rng, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(a, 0.0, 1.0), rng);
        return a;
    }

    /** One-hot rows for labels drawn with the given seed. */
    public static INDArray oneHot(int rows, int classes, long seed) {
        java.util.Random r = new java.util.Random(seed);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, classes);
        for (int i = 0; i < rows; i++) y.putScalar(i, r.nextInt(classes), 1.0);
        return y;
    }

    /** Uniform targets in (0, 1), the regression case of the MSE heads. */
    public static INDArray uniformTargets(int rows, int classes, long seed) {
        java.util.Random r = new java.util.Random(seed);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, classes);
        for (int i = 0; i < rows; i++) for (int c = 0; c < classes; c++) y.putScalar(i, c, 0.05 + 0.9 * r.nextDouble());
        return y;
    }

    /** Central difference of f with respect to entry i of x (x is perturbed in place and restored). */
    public static double centralDifference(INDArray x, long r, long c, DoubleSupplier f) {
        double orig = x.getDouble(r, c);
        x.putScalar(r, c, orig + H);
        double plus = f.getAsDouble();
        x.putScalar(r, c, orig - H);
        double minus = f.getAsDouble();
        x.putScalar(r, c, orig);
        return (plus - minus) / (2 * H);
    }

    /** |a−b| / max(|a|, |b|, 1e-8), or 0 when |a−b| is below the absolute floor. */
    public static double relativeError(double a, double b) {
        double diff = Math.abs(a - b);
        if (diff < ABS_FLOOR) return 0.0;
        return diff / Math.max(Math.max(Math.abs(a), Math.abs(b)), 1e-8);
    }

    /**
     * The largest relative error between an analytic matrix and the central differences of f on the
     * matrix x. Entries are addressed by (row, column), never by linear index, so the storage order
     * ('c' or 'f') of either array does not matter.
     */
    public static double maxRelativeError(INDArray analytic, INDArray x, DoubleSupplier f) {
        if (!java.util.Arrays.equals(analytic.shape(), x.shape())) {
            throw new AssertionError("shape " + java.util.Arrays.toString(analytic.shape()) + " vs "
                    + java.util.Arrays.toString(x.shape()));
        }
        double worst = 0;
        if (x.rank() != 2) throw new AssertionError("expected a matrix, got rank " + x.rank());
        for (long r = 0; r < x.rows(); r++) {
            for (long c = 0; c < x.columns(); c++) {
                worst = Math.max(worst, relativeError(analytic.getDouble(r, c), centralDifference(x, r, c, f)));
            }
        }
        return worst;
    }
}
