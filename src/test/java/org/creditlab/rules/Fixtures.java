package org.creditlab.rules;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Losses;
import org.creditlab.nn.Network;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.optim.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Small networks, synthetic batches, a few real Fashion-MNIST examples and a minimal training loop. */
final class Fixtures {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    private Fixtures() { }

    static Random rng(long seed) {
        return Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    static Network net(String kind, int in, List<Integer> hidden, int classes, Activation out, String loss,
                       Initializer init, DataType dtype, long seed) {
        return new NetworkSpec(kind, new long[] {in}, hidden, classes, Activation.RELU, out, init, true,
                Losses.byName(loss), dtype).build(rng(seed));
    }

    static Network softmaxNet(String kind, int in, List<Integer> hidden, int classes, DataType dtype, long seed) {
        return net(kind, in, hidden, classes, Activation.SOFTMAX, "ce", Initializer.XAVIER_NORMAL, dtype, seed);
    }

    /** Gaussian inputs and random one-hot targets (minus {@code offset}). */
    static Batch synthetic(int n, int in, int classes, double offset, DataType dtype, long seed) {
        Random r = rng(seed);
        INDArray x = Nd4j.create(dtype, n, in);
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(x, 0.0, 1.0), r);
        int[] labels = new int[n];
        INDArray y = Nd4j.zeros(dtype, n, classes);
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7 + 3) % classes;
            y.putScalar(i, labels[i], 1.0);
        }
        return new Batch(x, offset == 0 ? y : y.sub(offset), labels);
    }

    static StepContext ctx(long step, double lr) {
        return new StepContext(step, 0, lr, rng(1000 + step), rng(2000 + step));
    }

    /** The first {@code n} Fashion-MNIST training examples, pixels in [0,1], targets onehot − offset. */
    static Batch fashion(int n, double offset, DataType dtype) throws IOException {
        byte[] px;
        byte[] lb;
        int rows;
        int cols;
        try (DataInputStream in = open(FASHION.resolve("train-images-idx3-ubyte.gz"))) {
            if (in.readInt() != 2051) throw new IOException("not an IDX image file");
            int count = in.readInt();
            rows = in.readInt();
            cols = in.readInt();
            if (count < n) throw new IOException("only " + count + " images");
            px = in.readNBytes(n * rows * cols);
        }
        try (DataInputStream in = open(FASHION.resolve("train-labels-idx1-ubyte.gz"))) {
            if (in.readInt() != 2049) throw new IOException("not an IDX label file");
            in.readInt();
            lb = in.readNBytes(n);
        }
        int d = rows * cols;
        float[] xs = new float[n * d];
        for (int i = 0; i < xs.length; i++) xs[i] = (px[i] & 0xff) / 255f;
        INDArray x = Nd4j.create(xs, new long[] {n, d}).castTo(dtype);
        INDArray y = Nd4j.zeros(dtype, n, 10);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = lb[i];
            y.putScalar(i, labels[i], 1.0);
        }
        return new Batch(x, offset == 0 ? y : y.sub(offset), labels);
    }

    static boolean fashionAvailable() {
        return Files.isReadable(FASHION.resolve("train-images-idx3-ubyte.gz"));
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(p), 1 << 16);
        return new DataInputStream(in);
    }

    /** Rows [from, from + size) of a batch. */
    static Batch slice(Batch b, int from, int size) {
        int[] labels = java.util.Arrays.copyOfRange(b.labels(), from, from + size);
        return new Batch(b.x().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + size),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(),
                b.y().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + size),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(), labels);
    }

    /** The trainer's loop in miniature: compute → optimizer.apply → afterStep, cycling over minibatches. */
    static void train(Network net, LearningRule rule, RuleState state, Optimizer opt, Batch data, int batchSize,
                      int steps, double lr) {
        int batches = data.size() / batchSize;
        Batch[] slices = new Batch[batches];
        for (int i = 0; i < batches; i++) slices[i] = slice(data, i * batchSize, batchSize);
        for (int s = 0; s < steps; s++) {
            Batch b = slices[s % batches];
            StepContext c = ctx(s, lr);
            Updates u = rule.compute(net, b, state, c);
            opt.apply(net.params(), u, lr);
            rule.afterStep(net, state, c);
        }
    }

    /** max |a − b| in double (INDArray.equals allows a 1e-5 tolerance, too loose for "exactly backprop"). */
    static double maxAbsDiff(INDArray a, INDArray b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) return Double.POSITIVE_INFINITY;
        return org.nd4j.linalg.ops.transforms.Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)))
                .maxNumber().doubleValue();
    }

    /** Asserts that two update sets agree to {@code tol} on every parameter of {@code net}, and on the loss. */
    static void assertSameUpdates(Updates expected, Updates actual, Network net, double tol) {
        for (org.creditlab.nn.Param p : net.params()) {
            INDArray e = expected.get(p.name());
            INDArray a = actual.get(p.name());
            org.junit.jupiter.api.Assertions.assertNotNull(a, p.name());
            double d = maxAbsDiff(e, a);
            org.junit.jupiter.api.Assertions.assertTrue(d <= tol, p.name() + ": max |diff| " + d + " > " + tol);
        }
        org.junit.jupiter.api.Assertions.assertEquals(expected.loss(), actual.loss(), tol);
    }

    static double accuracy(Network net, Batch data) {
        INDArray pred = net.predict(data.x()).argMax(1);
        int ok = 0;
        for (int i = 0; i < data.size(); i++) if (pred.getInt(i) == data.labels()[i]) ok++;
        return ok / (double) data.size();
    }
}
