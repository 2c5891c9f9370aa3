package org.creditlab.rules;

import static org.creditlab.rules.RuleTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.creditlab.UserError;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Dense;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Layer;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PepitaTest {
    private static final double[][] W1 = {{0.4, -0.3}, {0.2, 0.5}, {-0.6, 0.1}};
    private static final double[][] W2 = {{0.7, -0.2}, {-0.4, 0.9}};
    private static final double[][] FM = {{0.5, -0.8}, {-0.3, 0.6}, {0.9, 0.2}};
    private static final double[][] X = {{1.0, 0.5, -0.2}, {0.3, -1.2, 0.8}};
    private static final double[][] Y = {{1, 0}, {0, 1}};

    private static Pepita pepita(Map<String, ?> options) {
        return (Pepita) RuleRegistry.get("pepita").create(new RuleOptions("pepita", options));
    }

    private static Network tiny(DataType dtype) {
        Layer l1 = new Layer(new Dense(3, 2, 1.0), null, Activation.RELU, Initializer.HE_UNIFORM,
                Nd4j.create(W1).castTo(dtype), null);
        Layer l2 = new Layer(new Dense(2, 2, 1.0), null, Activation.SOFTMAX, Initializer.HE_UNIFORM,
                Nd4j.create(W2).castTo(dtype), null);
        return new Network(List.of(l1, l2), new SoftmaxCrossEntropy());
    }

    // ---- plain-array reference (independent of the library) ----
    private static double[][] mm(double[][] a, double[][] b) {
        double[][] r = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++)
            for (int j = 0; j < b[0].length; j++)
                for (int k = 0; k < b.length; k++) r[i][j] += a[i][k] * b[k][j];
        return r;
    }

    private static double[][] relu(double[][] a, boolean norm) {
        double[][] r = new double[a.length][a[0].length];
        double ss = 0;
        for (int i = 0; i < a.length; i++)
            for (int j = 0; j < a[0].length; j++) { r[i][j] = Math.max(0, a[i][j]); ss += r[i][j] * r[i][j]; }
        if (norm) for (double[] row : r) for (int j = 0; j < row.length; j++) row[j] /= Math.sqrt(ss);
        return r;
    }

    private static double[][] softmaxMinusY(double[][] z) {
        double[][] e = new double[z.length][z[0].length];
        for (int b = 0; b < z.length; b++) {
            double m = Math.max(z[b][0], z[b][1]);
            double s = 0;
            for (int c = 0; c < z[b].length; c++) s += Math.exp(z[b][c] - m);
            for (int c = 0; c < z[b].length; c++) e[b][c] = Math.exp(z[b][c] - m) / s - Y[b][c];
        }
        return e;
    }

    /** {ΔW1, ΔW2} by hand: rules.md §4.1 (and §4.2 variants). */
    private static double[][][] expected(boolean plus, boolean cleanOutput, boolean actNorm) {
        double[][] h1 = relu(mm(X, W1), actNorm);
        double[][] e = softmaxMinusY(mm(h1, W2));
        double[][] xm = new double[2][3];
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 3; i++) {
                double fe = 0;
                for (int c = 0; c < 2; c++) fe += FM[i][c] * e[b][c];
                xm[b][i] = X[b][i] + (plus ? fe : -fe);
            }
        double[][] h1m = relu(mm(xm, W1), actNorm);
        double[][] em = cleanOutput ? e : softmaxMinusY(mm(h1m, W2));
        double[][] d1 = new double[3][2];
        double[][] d2 = new double[2][2];
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) d1[i][j] += xm[b][i] * (h1[b][j] - h1m[b][j]) / 2;
            for (int j = 0; j < 2; j++) for (int c = 0; c < 2; c++) d2[j][c] += h1m[b][j] * em[b][c] / 2;
        }
        return new double[][][] {d1, d2};
    }

    private static void assertUpdatesMatch(Map<String, ?> options, boolean plus, boolean cleanOut, boolean norm, DataType dtype,
                                           double tol) {
        Network net = tiny(dtype);
        Pepita rule = pepita(options);
        RuleState state = rule.init(net, rng(1)).put(Pepita.F, Nd4j.create(FM).castTo(dtype));
        Batch batch = new Batch(Nd4j.create(X).castTo(dtype), Nd4j.create(Y).castTo(dtype), new int[] {0, 1});
        Updates u = rule.compute(net, batch, state, ctx(0, 3));
        double[][][] exp = expected(plus, cleanOut, norm);
        for (int l = 0; l < 2; l++) {
            INDArray got = u.get(Param.weightName(l));
            double maxAbs = 0;
            for (int i = 0; i < exp[l].length; i++)
                for (int j = 0; j < exp[l][0].length; j++) {
                    assertEquals(exp[l][i][j], got.getDouble(i, j), tol, "ΔW" + (l + 1) + "[" + i + "][" + j + "]");
                    maxAbs = Math.max(maxAbs, Math.abs(exp[l][i][j]));
                }
            assertTrue(maxAbs > 1e-3, "the hand example must exercise layer " + l);
        }
        assertEquals(2, u.asMap().size(), "no bias updates without biases");
        // the last step's diagnostics describe this step
        Map<String, Double> diag = rule.diagnostics(net, state);
        for (int l = 0; l < 2; l++) {
            assertEquals(u.get(Param.weightName(l)).norm2Number().doubleValue(), diag.get("pepita.layer" + l + ".dw_norm"), 1e-12);
            assertEquals(net.layer(l).weight().norm2Number().doubleValue(), diag.get("pepita.layer" + l + ".w_norm"), 1e-12);
        }
        assertTrue(diag.get("pepita.layer0.rel_mod") > 0);
        assertTrue(Math.abs(diag.get("pepita.mod_cos")) <= 1 + 1e-9 && diag.get("pepita.mod_gain") > 0);
    }

    @Test void updateMatchesHandComputationOnATinyNetwork() {
        assertUpdatesMatch(Map.of("keep", 1.0), true, false, false, DataType.DOUBLE, 1e-12);
        assertUpdatesMatch(Map.of("keep", 1.0), true, false, false, DataType.FLOAT, 1e-6);
    }

    @Test void srinivasanVariantsMatchHandComputation() {
        assertUpdatesMatch(Map.of("keep", 1.0, "sign", "minus"), false, false, false, DataType.DOUBLE, 1e-12);
        assertUpdatesMatch(Map.of("keep", 1.0, "output_error", "clean"), true, true, false, DataType.DOUBLE, 1e-12);
        assertUpdatesMatch(Map.of("keep", 1.0, "activation_norm", true), true, false, true, DataType.DOUBLE, 1e-12);
    }

    @Test void predictNormalisesOnlyWithActivationNorm() {
        Network net = tiny(DataType.DOUBLE);
        INDArray x = Nd4j.create(X);
        var plain = net.forward(x);
        Pepita normed = pepita(Map.of("activation_norm", true));
        RuleState st = normed.init(net, rng(1));
        assertSame(plain.output(), pepita(Map.of()).predict(net, plain, x, st));
        double[][] h = relu(mm(X, W1), true);
        double[][] z = mm(h, W2);
        INDArray got = normed.predict(net, plain, x, st);
        double p00 = 1.0 / (1.0 + Math.exp(z[0][1] - z[0][0]));
        assertEquals(p00, got.getDouble(0, 0), 1e-12);
    }

    @Test void dropoutMaskIsSharedByBothPasses() {
        // Batch of one, tanh hidden units: a unit dropped in the clean pass must be dropped in the modulated
        // pass too, so its column of ΔW_0 (h − h_mod = 0) and its row of ΔW_1 (h_mod = 0) are exactly zero; a
        // fresh mask in the second pass would leave h − h_mod = −h_mod ≠ 0 for some of them.
        Network net = net(5, List.of(24), 3, Activation.TANH, Activation.SOFTMAX, new SoftmaxCrossEntropy(), false,
                DataType.DOUBLE, 3);
        Pepita rule = pepita(Map.of("keep", 0.5, "f_scale", 1.0));
        RuleState state = rule.init(net, rng(4));
        Batch batch = batch(1, 5, 3, DataType.DOUBLE, 5);
        Updates u = rule.compute(net, batch, state, ctx(0, 77));
        // the same mask, redrawn from an identically seeded dropout source
        INDArray mask = net.forward(batch.x(), org.creditlab.nn.ForwardOptions.PLAIN.withDropout(0.5, ctx(0, 77).dropout()))
                .layer(0).dropoutMask();
        INDArray d0 = u.get(Param.weightName(0));
        INDArray d1 = u.get(Param.weightName(1));
        int dropped = 0, kept = 0;
        for (int j = 0; j < 24; j++) {
            if (mask.getDouble(0, j) == 0.0) {
                dropped++;
                assertEquals(0.0, d0.getColumn(j).norm2Number().doubleValue(), 0.0, "ΔW_0 column " + j);
                assertEquals(0.0, d1.getRow(j).norm2Number().doubleValue(), 0.0, "ΔW_1 row " + j);
            } else {
                assertEquals(2.0, mask.getDouble(0, j), 1e-12, "inverted dropout scales kept units by 1/keep");
                if (d0.getColumn(j).norm2Number().doubleValue() > 0) kept++;
            }
        }
        assertTrue(dropped > 3 && kept > 3, "dropped " + dropped + ", kept with updates " + kept);
    }

    @Test void fIsDrawnFromTheScaledHeUniformDistribution() {
        Network net = net(784, List.of(8), 10, Activation.RELU, Activation.SOFTMAX, new SoftmaxCrossEntropy(), false,
                DataType.FLOAT, 6);
        INDArray f = pepita(Map.of()).init(net, rng(7)).get(Pepita.F);
        assertArrayEquals(new long[] {784, 10}, f.shape());
        double limit = 0.05 * Math.sqrt(6.0 / 784);
        assertTrue(f.amaxNumber().doubleValue() <= limit);
        assertEquals(0.05 * Math.sqrt(2.0 / 784), f.stdNumber().doubleValue(), 0.03 * 0.05 * Math.sqrt(2.0 / 784));
    }

    @Test void fAngleDiagnosticOnKnownCases() {
        Network net = tiny(DataType.DOUBLE);
        Pepita rule = pepita(Map.of());
        INDArray product = Nd4j.create(W1).mmul(Nd4j.create(W2));                  // [d, C]
        RuleState state = rule.init(net, rng(1));
        state.put(Pepita.F, product.dup());
        assertEquals(0.0, rule.diagnostics(net, state).get("pepita.f_angle"), 1e-5);
        state.put(Pepita.F, product.neg());
        assertEquals(180.0, rule.diagnostics(net, state).get("pepita.f_angle"), 1e-5);
        INDArray q = Nd4j.create(FM);
        double proj = q.mul(product).sumNumber().doubleValue() / product.mul(product).sumNumber().doubleValue();
        state.put(Pepita.F, q.sub(product.mul(proj)));
        assertEquals(90.0, rule.diagnostics(net, state).get("pepita.f_angle"), 1e-9);
        assertEquals(Nd4j.create(W1).norm2Number().doubleValue(), rule.diagnostics(net, state).get("pepita.w1_norm"), 1e-12);
    }

    @Test void mirroringTurnsFTowardsMinusTheForwardProductAndKeepsItsStd() {
        Network net = net(20, List.of(6), 4, Activation.RELU, Activation.SOFTMAX, new SoftmaxCrossEntropy(), false,
                DataType.DOUBLE, 8);
        Pepita rule = pepita(Map.of("mirror_every", 1));
        RuleState state = rule.init(net, rng(9));
        double before = rule.diagnostics(net, state).get("pepita.f_angle");
        StepContext c = ctx(0, 10);
        for (int step = 0; step < 200; step++) rule.afterStep(net, state, c);
        double after = rule.diagnostics(net, state).get("pepita.f_angle");
        assertTrue(after > 150 && after > before + 30, "angle " + before + " -> " + after);
        assertEquals(0.05 * Math.sqrt(2.0 / 20), state.get(Pepita.F).stdNumber().doubleValue(), 1e-9);
        Pepita minus = pepita(Map.of("mirror_every", 1, "sign", "minus"));
        RuleState s2 = minus.init(net, rng(9));
        for (int step = 0; step < 200; step++) minus.afterStep(net, s2, c);
        assertTrue(minus.diagnostics(net, s2).get("pepita.f_angle") < 30);
        // off by default: F never changes
        RuleState s3 = pepita(Map.of()).init(net, rng(9));
        INDArray f0 = s3.get(Pepita.F).dup();
        pepita(Map.of()).afterStep(net, s3, c);
        assertEquals(f0, s3.get(Pepita.F));
    }

    @Test void optionsAreValidatedAndRegistryDefaultsDropBiases() {
        assertThrows(UserError.class, () -> pepita(Map.of("fscale", 0.1)));
        assertThrows(UserError.class, () -> pepita(Map.of("sign", "positive")));
        assertThrows(UserError.class, () -> pepita(Map.of("output_error", "noisy")));
        assertThrows(UserError.class, () -> pepita(Map.of("keep", 0)));
        assertThrows(UserError.class, () -> pepita(Map.of("mirror_every", 1.5)));
        RuleInfo info = RuleRegistry.get("pepita");
        assertEquals(false, info.configDefaults().get("bias"));
        assertEquals("momentum", info.configDefaults().get("optimizer"));
        // lr 0.1 (the paper's MNIST lr) is unstable on Fashion-MNIST: see the registry line
        assertEquals(0.03, info.configDefaults().get("lr"));
        assertEquals("np", RuleRegistry.get("node-perturbation").name());
        assertEquals("wp", RuleRegistry.get("weight-perturbation").name());
    }
}
