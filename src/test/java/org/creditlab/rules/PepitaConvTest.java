package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.LayerSpec;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PEPITA's conv update on tiny inputs against a hand computation with plain loops over positions (no ND4J op):
 * for a conv layer ΔW[o][c][u][v] = (1/(B·P)) Σ_b Σ_{positions (i,j)} (h − h_mod)[b][o][i][j] · x_mod[b][c][i+u][j+v],
 * the per-position outer product of the difference of the layer's activity <em>before</em> pooling with the modulated
 * input patch, averaged over the P output positions and the batch (PEPITA's {@code compute_delta_w_conv}); the next
 * layer's presynaptic term is the <em>pooled</em> modulated activity; the readout gets e_mod ⊗ h_mod / B. Double to
 * 1e-12 (sums of a few dozen O(1) products), float to 1e-5 (float32 rounding of the same sums).
 */
class PepitaConvTest {
    private static final int B = 2;
    private static final int CLASSES = 3;

    /** One conv layer of the hand computation: C_out@k×k VALID stride 1, ReLU, then optionally 2×2 max pooling stride 1. */
    record ConvSpec(int out, int k, boolean pool) { }

    // ---- plain-array network: activity as [b][c][h][w] ----
    static double[][][][] conv(double[][][][] x, double[][][][] w) {
        int cout = w.length, cin = w[0].length, k = w[0][0].length, oh = x[0][0].length - k + 1, ow = x[0][0][0].length - k + 1;
        double[][][][] z = new double[x.length][cout][oh][ow];
        for (int b = 0; b < x.length; b++)
            for (int o = 0; o < cout; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                        for (int c = 0; c < cin; c++)
                            for (int u = 0; u < k; u++)
                                for (int v = 0; v < k; v++) z[b][o][i][j] += x[b][c][i + u][j + v] * w[o][c][u][v];
        return z;
    }

    static double[][][][] relu(double[][][][] a) {
        double[][][][] r = new double[a.length][a[0].length][a[0][0].length][a[0][0][0].length];
        for (int b = 0; b < a.length; b++)
            for (int c = 0; c < a[0].length; c++)
                for (int i = 0; i < a[0][0].length; i++)
                    for (int j = 0; j < a[0][0][0].length; j++) r[b][c][i][j] = Math.max(0, a[b][c][i][j]);
        return r;
    }

    static double[][][][] maxpool2s1(double[][][][] a) {
        int oh = a[0][0].length - 1, ow = a[0][0][0].length - 1;
        double[][][][] r = new double[a.length][a[0].length][oh][ow];
        for (int b = 0; b < a.length; b++)
            for (int c = 0; c < a[0].length; c++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                        r[b][c][i][j] = Math.max(Math.max(a[b][c][i][j], a[b][c][i + 1][j]), Math.max(a[b][c][i][j + 1], a[b][c][i + 1][j + 1]));
        return r;
    }

    /** c-order flatten: index c·H·W + i·W + j. */
    static double[][] flatten(double[][][][] a) {
        int c = a[0].length, h = a[0][0].length, w = a[0][0][0].length;
        double[][] r = new double[a.length][c * h * w];
        for (int b = 0; b < a.length; b++)
            for (int q = 0; q < c; q++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++) r[b][q * h * w + i * w + j] = a[b][q][i][j];
        return r;
    }

    static double[][][][] image(double[][] rows, int c, int h, int w) {
        double[][][][] r = new double[rows.length][c][h][w];
        for (int b = 0; b < rows.length; b++)
            for (int q = 0; q < c; q++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++) r[b][q][i][j] = rows[b][q * h * w + i * w + j];
        return r;
    }

    static double[][] softmaxMinusY(double[][] p, double[][] w2, double[][] y) {
        double[][] e = new double[p.length][w2[0].length];
        for (int b = 0; b < p.length; b++) {
            double[] z = new double[w2[0].length];
            for (int c = 0; c < z.length; c++) for (int k = 0; k < w2.length; k++) z[c] += p[b][k] * w2[k][c];
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (double v : z) m = Math.max(m, v);
            for (double v : z) s += Math.exp(v - m);
            for (int c = 0; c < z.length; c++) e[b][c] = Math.exp(z[c] - m) / s - y[b][c];
        }
        return e;
    }

    /** The pass's activity per conv layer (before pooling, and the layer's output after pooling) and its readout input. */
    record Pass(List<double[][][][]> unpooled, List<double[][][][]> outputs, double[][] readoutInput) { }

    static Pass forward(double[][][][] x, List<ConvSpec> specs, List<double[][][][]> kernels) {
        List<double[][][][]> unpooled = new ArrayList<>(), outputs = new ArrayList<>();
        double[][][][] h = x;
        for (int l = 0; l < specs.size(); l++) {
            double[][][][] a = relu(conv(h, kernels.get(l)));
            unpooled.add(a);
            h = specs.get(l).pool() ? maxpool2s1(a) : a;
            outputs.add(h);
        }
        return new Pass(unpooled, outputs, flatten(h));
    }

    /** ΔW for a conv layer, by the per-position formula of the class comment. */
    static double[][][][] convUpdate(double[][][][] h, double[][][][] hMod, double[][][][] xMod, int k) {
        int cout = h[0].length, cin = xMod[0].length, oh = h[0][0].length, ow = h[0][0][0].length;
        double[][][][] d = new double[cout][cin][k][k];
        double mean = (double) h.length * oh * ow;
        for (int b = 0; b < h.length; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)                              // one output position
                    for (int o = 0; o < cout; o++) {
                        double diff = h[b][o][i][j] - hMod[b][o][i][j];
                        for (int c = 0; c < cin; c++)
                            for (int u = 0; u < k; u++)
                                for (int v = 0; v < k; v++) d[o][c][u][v] += diff * xMod[b][c][i + u][j + v] / mean;
                    }
        return d;
    }

    private static double[] draws(java.util.Random r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * r.nextGaussian();
        return v;
    }

    @ParameterizedTest(name = "{0} on {1}x{2}x{2}")
    @CsvSource({
            "'conv2k2,relu,maxpool2s1,fc3', 1, 4",
            "'conv2k2,relu,maxpool2s1,conv2k2,relu,fc3', 2, 5"})
    void convUpdateMatchesHandComputation(String layers, int channels, int size) {
        for (DataType dtype : List.of(DataType.DOUBLE, DataType.FLOAT)) check(layers, channels, size, dtype,
                dtype == DataType.DOUBLE ? 1e-12 : 1e-5);
    }

    private static void check(String layers, int channels, int size, DataType dtype, double tol) {
        List<ConvSpec> specs = new ArrayList<>();
        for (String e : layers.split(",")) {
            if (e.startsWith("conv")) specs.add(new ConvSpec(Integer.parseInt(e.substring(4, e.indexOf('k'))), Integer.parseInt(e.substring(e.indexOf('k') + 1)), false));
            if (e.startsWith("maxpool")) specs.set(specs.size() - 1, new ConvSpec(specs.get(specs.size() - 1).out(), specs.get(specs.size() - 1).k(), true));
        }
        long[] in = {channels, size, size};
        Network net = LayerSpec.parse(layers).build(in, CLASSES, Activation.RELU, Activation.SOFTMAX, Initializer.HE_UNIFORM,
                false, new SoftmaxCrossEntropy(), dtype, Fixtures.rng(1));
        int d = channels * size * size;
        java.util.Random r = new java.util.Random(17 + size);
        // the network's weights, copied into plain arrays (ND4J c order = the arrays' nesting)
        List<double[][][][]> kernels = new ArrayList<>();
        for (int l = 0; l < specs.size(); l++) {
            INDArray w = net.layer(l).weight();
            w.assign(Nd4j.create(draws(r, (int) w.length(), 0.6), w.shape(), 'c').castTo(dtype));
            kernels.add(toKernel(w));
        }
        INDArray w2nd = net.outputLayer().weight();
        w2nd.assign(Nd4j.create(draws(r, (int) w2nd.length(), 0.5), w2nd.shape(), 'c').castTo(dtype));
        double[][] w2 = w2nd.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] x = new double[B][];
        for (int b = 0; b < B; b++) x[b] = draws(r, d, 1.0);
        double[][] f = new double[d][];
        for (int i = 0; i < d; i++) f[i] = draws(r, CLASSES, 0.8);
        double[][] y = {{1, 0, 0}, {0, 0, 1}};
        // the plain arrays see the values the network holds (float-rounded for float)
        x = Nd4j.create(x).castTo(dtype).castTo(DataType.DOUBLE).toDoubleMatrix();
        f = Nd4j.create(f).castTo(dtype).castTo(DataType.DOUBLE).toDoubleMatrix();

        // ---- the hand computation ----
        Pass clean = forward(image(x, channels, size, size), specs, kernels);
        double[][] e = softmaxMinusY(clean.readoutInput(), w2, y);
        double[][] xm = new double[B][d];
        for (int b = 0; b < B; b++)
            for (int i = 0; i < d; i++) {
                double fe = 0;
                for (int c = 0; c < CLASSES; c++) fe += f[i][c] * e[b][c];
                xm[b][i] = x[b][i] + fe;
            }
        double[][][][] xmImage = image(xm, channels, size, size);
        Pass mod = forward(xmImage, specs, kernels);
        double[][] em = softmaxMinusY(mod.readoutInput(), w2, y);
        List<double[][][][]> expectedConv = new ArrayList<>();
        for (int l = 0; l < specs.size(); l++) {
            double[][][][] presynaptic = l == 0 ? xmImage : mod.outputs().get(l - 1);   // pooled modulated activity
            expectedConv.add(convUpdate(clean.unpooled().get(l), mod.unpooled().get(l), presynaptic, specs.get(l).k()));
        }
        double[][] pm = mod.readoutInput();
        double[][] expectedOut = new double[pm[0].length][CLASSES];
        for (int b = 0; b < B; b++)
            for (int k = 0; k < pm[0].length; k++)
                for (int c = 0; c < CLASSES; c++) expectedOut[k][c] += pm[b][k] * em[b][c] / B;

        // ---- ours ----
        Pepita rule = (Pepita) RuleRegistry.get("pepita").create(new RuleOptions("pepita", Map.of("keep", 1.0)));
        RuleState state = rule.init(net, Fixtures.rng(2)).put(Pepita.F, Nd4j.create(f).castTo(dtype));
        Batch batch = new Batch(Nd4j.create(x).castTo(dtype), Nd4j.create(y).castTo(dtype), new int[] {0, 2});
        Updates u = rule.compute(net, batch, state, Fixtures.ctx(0, 0.1));
        assertEquals(specs.size() + 1, u.asMap().size(), "one update per weight, no biases");
        for (int l = 0; l < specs.size(); l++) {
            INDArray got = u.get(Param.weightName(l));
            double[][][][] exp = expectedConv.get(l);
            double maxAbs = 0;
            for (int o = 0; o < exp.length; o++)
                for (int c = 0; c < exp[0].length; c++)
                    for (int a = 0; a < exp[0][0].length; a++)
                        for (int v = 0; v < exp[0][0][0].length; v++) {
                            assertEquals(exp[o][c][a][v], got.getDouble(o, c, a, v), tol,
                                    dtype + " ΔW" + l + "[" + o + "][" + c + "][" + a + "][" + v + "]");
                            maxAbs = Math.max(maxAbs, Math.abs(exp[o][c][a][v]));
                        }
            assertTrue(maxAbs > 1e-3, "the hand example must exercise conv layer " + l + " (max |ΔW| " + maxAbs + ")");
        }
        INDArray got = u.get(Param.weightName(specs.size()));
        for (int k = 0; k < expectedOut.length; k++)
            for (int c = 0; c < CLASSES; c++) assertEquals(expectedOut[k][c], got.getDouble(k, c), tol, dtype + " ΔW_out[" + k + "][" + c + "]");
    }

    private static double[][][][] toKernel(INDArray w) {
        int o = (int) w.size(0), c = (int) w.size(1), k = (int) w.size(2);
        double[][][][] r = new double[o][c][k][k];
        for (int a = 0; a < o; a++)
            for (int b = 0; b < c; b++)
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++) r[a][b][i][j] = w.getDouble(a, b, i, j);
        return r;
    }

    /**
     * Weight mirroring on a network with a convolution (no dense product W_1 ⋯ W_L to mirror): F follows the noise's
     * pass through the network. With linear activations the input→logit map M ([d, C] in row form) is exact, so
     * F must turn to −M (sign plus) or +M (sign minus), and keep its std.
     */
    @Test void mirroringOnAConvNetworkTurnsFTowardsTheInputToLogitMap() {
        long[] in = {1, 5, 5};
        Network net = LayerSpec.parse("conv3k3,act,fc3").build(in, CLASSES, Activation.LINEAR, Activation.SOFTMAX,
                Initializer.HE_UNIFORM, false, new SoftmaxCrossEntropy(), DataType.DOUBLE, Fixtures.rng(3));
        INDArray basis = Nd4j.eye(25).castTo(DataType.DOUBLE).reshape('c', 25, 1, 5, 5);
        INDArray map = net.forward(basis, org.creditlab.nn.ForwardOptions.PLAIN).layer(net.depth() - 1).a(); // [d, C]
        for (String sign : List.of("plus", "minus")) {
            Pepita rule = (Pepita) RuleRegistry.get("pepita").create(new RuleOptions("pepita", Map.of("mirror_every", 1, "sign", sign)));
            RuleState state = rule.init(net, Fixtures.rng(9));
            double before = Pepita.angleDegrees(state.get(Pepita.F), map);
            for (int step = 0; step < 300; step++) rule.afterStep(net, state, Fixtures.ctx(step, 0.1));
            double after = Pepita.angleDegrees(state.get(Pepita.F), map);
            if (sign.equals("plus")) assertTrue(after > 150, "angle " + before + " -> " + after);
            else assertTrue(after < 30, "angle " + before + " -> " + after);
            assertEquals(0.05 * Math.sqrt(2.0 / 25), state.get(Pepita.F).stdNumber().doubleValue(), 1e-9);
        }
    }
}
