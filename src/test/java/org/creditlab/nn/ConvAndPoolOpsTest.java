package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The conv and pooling ops on their own, against plain loops written here (independent of libnd4j): the
 * convolution's forward for every padding mode (SAME's extra pixel at the bottom/right for stride 2 on even
 * inputs, as TensorFlow and JAX pad), the adjoint identity of its input gradient through an arbitrary kernel
 * (what feedback alignment relies on), and the pooling backward passes: max pooling routes each window's error to
 * its arg-max, average pooling spreads it evenly, overlapping windows add up. All in double; the tolerance 1e-12 is
 * a few ulps of sums of ~100 O(1) products.
 */
class ConvAndPoolOpsTest {
    private static final double TOL = 1e-12;

    private static INDArray randn(long seed, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(a, 0.0, 1.0),
                Nd4j.getRandomFactory().getNewRandomInstance(seed));
        return a;
    }

    /** z[b][o][i][j] = s·Σ_{c,u,v} x[b][c][i·S − top + u][j·S − left + v]·W[o][c][u][v] + bias[o], zero outside the image. */
    static double[][][][] naiveConv(INDArray x, INDArray w, INDArray bias, int stride, long outH, long outW, long top,
                                    long left, double scale) {
        long batch = x.size(0), cin = x.size(1), h = x.size(2), wd = x.size(3), cout = w.size(0), k = w.size(2);
        double[][][][] z = new double[(int) batch][(int) cout][(int) outH][(int) outW];
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < cout; o++)
                for (int i = 0; i < outH; i++)
                    for (int j = 0; j < outW; j++) {
                        double s = 0;
                        for (int c = 0; c < cin; c++)
                            for (int u = 0; u < k; u++)
                                for (int v = 0; v < k; v++) {
                                    long r = i * stride - top + u, q = j * stride - left + v;
                                    if (r < 0 || q < 0 || r >= h || q >= wd) continue;
                                    s += x.getDouble(b, c, r, q) * w.getDouble(o, c, u, v);
                                }
                        z[b][o][i][j] = scale * s + (bias == null ? 0 : bias.getDouble(0, o));
                    }
        return z;
    }

    static Stream<Arguments> convCases() {
        // in H(=W), kernel, stride, padding, explicit pad, expected out, expected top padding
        return Stream.of(
                Arguments.of(6, 3, 1, Conv2d.Padding.SAME, 0, 6, 1),
                Arguments.of(5, 3, 1, Conv2d.Padding.SAME, 0, 5, 1),
                Arguments.of(6, 3, 2, Conv2d.Padding.SAME, 0, 3, 0),   // total padding 1: all of it at the bottom/right
                Arguments.of(7, 3, 2, Conv2d.Padding.SAME, 0, 4, 1),   // total padding 2: one each side
                Arguments.of(8, 4, 2, Conv2d.Padding.SAME, 0, 4, 1),   // total 2 with an even kernel
                Arguments.of(7, 3, 2, Conv2d.Padding.VALID, 0, 3, 0),
                Arguments.of(6, 5, 1, Conv2d.Padding.EXPLICIT, 2, 6, 2),
                Arguments.of(6, 3, 2, Conv2d.Padding.EXPLICIT, 1, 3, 1));
    }

    @ParameterizedTest(name = "in {0}, k{1} s{2} {3} p{4}")
    @MethodSource("convCases")
    void convolutionForwardMatchesLoops(int in, int k, int stride, Conv2d.Padding padding, int pad, int out, int top) {
        for (double scale : new double[] {1.0, 1.0 / Math.sqrt(2.0 * k * k)}) {
            Conv2d conv = new Conv2d(new long[] {2, in, in}, 3, k, stride, padding, pad, scale);
            assertArrayEquals(new long[] {3, out, out}, conv.outputShape());
            INDArray x = randn(in * 10L + k, 2, 2, in, in);
            INDArray w = randn(in * 10L + k + 1, 3, 2, k, k);
            INDArray b = randn(in * 10L + k + 2, 1, 3);
            double[][][][] expected = naiveConv(x, w, b, stride, out, out, top, top, scale);
            INDArray z = conv.forward(x.reshape('c', 2, 2L * in * in), w, b);   // flat rows, as the datasets give them
            assertArrayEquals(new long[] {2, 3, out, out}, z.shape());
            for (int bb = 0; bb < 2; bb++)
                for (int o = 0; o < 3; o++)
                    for (int i = 0; i < out; i++)
                        for (int j = 0; j < out; j++)
                            assertEquals(expected[bb][o][i][j], z.getDouble(bb, o, i, j), TOL,
                                    "z[" + bb + "][" + o + "][" + i + "][" + j + "] scale " + scale);
        }
    }

    /**
     * ⟨op(x; B), δ⟩ = ⟨x, backwardInput(δ, B)⟩ for a kernel B that is not the layer's W (feedback alignment's
     * case), and {@code backward} gives the weight gradient ⟨op(x; ·), δ⟩'s gradient whatever kernel it pushes the
     * input error through.
     */
    @ParameterizedTest(name = "in {0}, k{1} s{2} {3} p{4}")
    @MethodSource("convCases")
    void inputGradientIsTheAdjointThroughAnyKernel(int in, int k, int stride, Conv2d.Padding padding, int pad, int out, int top) {
        double scale = 0.7;
        Conv2d conv = new Conv2d(new long[] {2, in, in}, 3, k, stride, padding, pad, scale);
        INDArray x = randn(7, 4, 2, in, in);
        INDArray feedback = randn(8, 3, 2, k, k);
        INDArray delta = randn(9, 4, 3, out, out);
        double lhs = conv.forward(x, feedback, null).mul(delta).sumNumber().doubleValue();
        INDArray back = conv.backwardInput(delta, feedback, x.shape());
        assertArrayEquals(x.shape(), back.shape());
        assertEquals(lhs, x.mul(back).sumNumber().doubleValue(), 1e-10 * Math.max(1, Math.abs(lhs)));
        // weight gradient: <op(x; V), δ> = <V, dW> for any V (linearity in the kernel)
        INDArray v = randn(10, 3, 2, k, k);
        LinearOp.Backward both = conv.backward(delta, x, feedback, true, null);
        double viaForward = conv.forward(x, v, null).mul(delta).sumNumber().doubleValue();
        assertEquals(viaForward, v.mul(both.weight()).sumNumber().doubleValue(), 1e-10 * Math.max(1, Math.abs(viaForward)));
        assertEquals(0.0, both.weight().sub(conv.weightGradient(delta, x)).amaxNumber().doubleValue(), TOL,
                "the weight gradient does not depend on the kernel the input error goes through");
        assertEquals(0.0, both.input().sub(back).amaxNumber().doubleValue(), TOL);
        assertEquals(0.0, conv.biasGradient(delta).sub(delta.sum(0, 2, 3).reshape(1, 3)).amaxNumber().doubleValue(), TOL);
    }

    // ------------------------------------------------------------------ pooling

    /** One 4x4 map with distinct values, its maxima in known places, some of them negative. */
    private static final double[][] MAP = {
            {1.0, -2.0, 0.5, 0.4},
            {3.0, 0.0, 0.3, 0.2},
            {-5.0, -4.0, 7.0, 1.5},
            {-3.0, -6.0, 2.0, 8.0}};

    @Test void maxPoolRoutesTheErrorToTheArgMax() {
        INDArray x = Nd4j.create(MAP).reshape(1, 1, 4, 4);
        Pool2d pool = new Pool2d(Pool2d.Kind.MAX, 2, 2);
        INDArray y = pool.forward(x);
        assertEquals(Nd4j.create(new double[][] {{3.0, 0.5}, {-3.0, 8.0}}).reshape(1, 1, 2, 2), y);
        INDArray g = Nd4j.create(new double[][] {{0.1, -0.2}, {0.3, 0.4}}).reshape(1, 1, 2, 2);
        INDArray dx = pool.backward(g, x);
        double[][] expected = {
                {0, 0, -0.2, 0},
                {0.1, 0, 0, 0},
                {0, 0, 0, 0},
                {0.3, 0, 0, 0.4}};
        assertEquals(Nd4j.create(expected).reshape(1, 1, 4, 4), dx);
        // flat error rows [B, C·H'·W'] (what a dense layer after the pooling hands back) work the same way
        assertEquals(dx, pool.backward(g.reshape(1, 4), x));
    }

    @Test void maxPoolKeepsExamplesAndChannelsApartAndSumsOverlappingWindows() {
        INDArray x = randn(11, 2, 3, 5, 5);
        Pool2d pool = new Pool2d(Pool2d.Kind.MAX, 3, 1);             // 3x3 windows, stride 1: 3x3 outputs, overlapping
        INDArray g = randn(12, 2, 3, 3, 3);
        INDArray dx = pool.backward(g, x);
        INDArray y = pool.forward(x);
        double[][][][] expected = new double[2][3][5][5];
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++) {
                        int bi = -1, bj = -1;
                        double best = Double.NEGATIVE_INFINITY;
                        for (int u = 0; u < 3; u++)
                            for (int v = 0; v < 3; v++) {
                                double t = x.getDouble(b, c, i + u, j + v);
                                if (t > best) { best = t; bi = i + u; bj = j + v; }
                            }
                        assertEquals(best, y.getDouble(b, c, i, j), 0.0);
                        expected[b][c][bi][bj] += g.getDouble(b, c, i, j);
                    }
        assertEquals(0.0, Nd4j.create(expected).sub(dx).amaxNumber().doubleValue(), TOL);
    }

    @Test void avgPoolSpreadsTheErrorEvenly() {
        INDArray x = Nd4j.create(MAP).reshape(1, 1, 4, 4);
        Pool2d pool = new Pool2d(Pool2d.Kind.AVG, 2, 2);
        assertEquals(Nd4j.create(new double[][] {{0.5, 0.35}, {-4.5, 4.625}}).reshape(1, 1, 2, 2), pool.forward(x));
        INDArray g = Nd4j.create(new double[][] {{0.4, -0.8}, {1.2, 2.0}}).reshape(1, 1, 2, 2);
        double[][] expected = {
                {0.1, 0.1, -0.2, -0.2},
                {0.1, 0.1, -0.2, -0.2},
                {0.3, 0.3, 0.5, 0.5},
                {0.3, 0.3, 0.5, 0.5}};
        assertEquals(0.0, Nd4j.create(expected).reshape(1, 1, 4, 4).sub(pool.backward(g, x)).amaxNumber().doubleValue(), TOL);
    }

    @Test void avgPoolWithStrideOtherThanKernelAddsEveryWindowsShare() {
        INDArray x = randn(13, 2, 2, 5, 5);
        Pool2d pool = new Pool2d(Pool2d.Kind.AVG, 3, 2);             // windows at 0 and 2 overlap on row/column 2
        assertArrayEquals(new long[] {2, 2, 2}, pool.outputShape(new long[] {2, 5, 5}));
        INDArray g = randn(14, 2, 2, 2, 2);
        INDArray y = pool.forward(x);
        INDArray dx = pool.backward(g, x);
        double[][][][] expected = new double[2][2][5][5];
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 2; c++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) {
                        double s = 0;
                        for (int u = 0; u < 3; u++)
                            for (int v = 0; v < 3; v++) {
                                s += x.getDouble(b, c, 2 * i + u, 2 * j + v);
                                expected[b][c][2 * i + u][2 * j + v] += g.getDouble(b, c, i, j) / 9.0;
                            }
                        assertEquals(s / 9.0, y.getDouble(b, c, i, j), TOL);
                    }
        assertEquals(0.0, Nd4j.create(expected).sub(dx).amaxNumber().doubleValue(), TOL);
        // the centre pixel (2, 2) lies in all four windows
        double centre = 0;
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) centre += g.getDouble(0, 0, i, j) / 9.0;
        assertEquals(centre, dx.getDouble(0, 0, 2, 2), TOL);
    }

    @Test void globalAveragePoolSpreadsEachChannelsErrorOverItsPositions() {
        INDArray x = randn(15, 2, 3, 4, 5);
        GlobalAvgPool gap = new GlobalAvgPool();
        INDArray y = gap.forward(x);
        assertArrayEquals(new long[] {2, 3}, y.shape());
        double sum = 0;
        for (int i = 0; i < 4; i++) for (int j = 0; j < 5; j++) sum += x.getDouble(1, 2, i, j);
        assertEquals(sum / 20, y.getDouble(1, 2), TOL);
        INDArray g = randn(16, 2, 3);
        INDArray dx = gap.backward(g, x);
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 5; j++) assertEquals(g.getDouble(b, c) / 20.0, dx.getDouble(b, c, i, j), TOL);
    }

    @Test void poolingThatDoesNotFitIsAUserErrorNamingTheShape() {
        org.creditlab.UserError e = org.junit.jupiter.api.Assertions.assertThrows(org.creditlab.UserError.class,
                () -> new Pool2d(Pool2d.Kind.MAX, 3, 3).outputShape(new long[] {4, 2, 2}));
        assertTrue(e.getMessage().contains("maxpool3") && e.getMessage().contains("[4, 2, 2]"), e.getMessage());
    }
}
