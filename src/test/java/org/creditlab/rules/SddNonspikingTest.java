package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.creditlab.UserError;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Dense;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Layer;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Non-spiking segregated-dendrite phases and updates on a 2-2-2 network against plain-double arithmetic. */
class SddNonspikingTest {
    private static final double[][] W1 = {{0.8, -0.5}, {1.5, 0.7}};   // [n_in, n_out]
    private static final double[] B1 = {0.3, -0.2};
    private static final double[][] W2 = {{2.0, -1.0}, {-0.6, 1.2}};
    private static final double[] B2 = {0.1, 0.4};
    private static final double[][] YF = {{0.9, -1.4}, {-0.7, 2.1}};   // [C, n_hidden]
    private static final double[] X = {0.9, 0.3};
    private static final int LABEL = 1;

    static Sdd rule(Map<String, ?> options) {
        return (Sdd) RuleRegistry.get("sdd").create(new RuleOptions("sdd", options));
    }

    static Network tiny() {
        Layer l1 = new Layer(new Dense(2, 2, 1.0), null, Activation.SIGMOID, Initializer.XAVIER_NORMAL,
                Nd4j.create(W1), Nd4j.create(new double[][] {B1}));
        Layer l2 = new Layer(new Dense(2, 2, 1.0), null, Activation.SIGMOID, Initializer.XAVIER_NORMAL,
                Nd4j.create(W2), Nd4j.create(new double[][] {B2}));
        return new Network(List.of(l1, l2), new MeanSquaredError());
    }

    static RuleState feedback() {
        return RuleState.empty().put("layer0.Y", Nd4j.create(YF));
    }

    static Batch batch() {
        return new Batch(Nd4j.create(new double[][] {X}), Nd4j.create(new double[][] {{0, 1}}), new int[] {LABEL});
    }

    private static double sig(double v) { return 1 / (1 + Math.exp(-v)); }
    private static double dsig(double v) { return sig(v) * (1 - sig(v)); }

    @Test void updatesMatchHandComputedPhases() {
        double gL = 0.1, gB = 0.6, gD = 0.6, lm = 0.2, kB = gB / (gL + gB), kD = gD / (gL + gD);
        double[] r0 = {lm * X[0], lm * X[1]};
        double[] c1 = new double[2], r1 = new double[2];
        for (int j = 0; j < 2; j++) {
            c1[j] = kB * (r0[0] * W1[0][j] + r0[1] * W1[1][j] + B1[j]);
            r1[j] = lm * sig(c1[j]);
        }
        double[] b2 = new double[2], cf = new double[2], rf = new double[2], ct = new double[2], rt = new double[2];
        for (int j = 0; j < 2; j++) {
            b2[j] = r1[0] * W2[0][j] + r1[1] * W2[1][j] + B2[j];
            cf[j] = kD * b2[j];
            rf[j] = lm * sig(cf[j]);
            double gE = j == LABEL ? 1 : 0, gI = 1 - gE;
            ct[j] = (gD * b2[j] + gE * 8 + gI * -8) / (gL + gD + gE + gI);
            rt[j] = lm * sig(ct[j]);
        }
        double[] e1 = new double[2], e2 = new double[2];
        for (int j = 0; j < 2; j++) e2[j] = -kD * lm * dsig(cf[j]) * (rt[j] - rf[j]);
        for (int j = 0; j < 2; j++) {
            double af = rf[0] * YF[0][j] + rf[1] * YF[1][j];
            double at = rt[0] * YF[0][j] + rt[1] * YF[1][j];
            e1[j] = -kB * lm * dsig(c1[j]) * (sig(at) - sig(af));
        }
        double eta = 0.21, pH = 20 / lm, pF = 20 / (lm * lm);

        Updates u = rule(Map.of()).compute(tiny(), batch(), feedback(), RuleTestSupport.ctx(0, 1));
        INDArray dW1 = u.get(Param.weightName(0)), dW2 = u.get(Param.weightName(1));
        INDArray db1 = u.get(Param.biasName(0)), db2 = u.get(Param.biasName(1));
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(eta * pH * r0[i] * e1[j], dW1.getDouble(i, j), 1e-12, "dW1");
                assertEquals(eta * pF * r1[i] * e2[j], dW2.getDouble(i, j), 1e-12, "dW2");
            }
        }
        for (int j = 0; j < 2; j++) {
            assertEquals(eta * pH * e1[j], db1.getDouble(0, j), 1e-12);
            assertEquals(eta * pF * e2[j], db2.getDouble(0, j), 1e-12);
        }
        double loss = Math.pow(rt[0] - rf[0], 2) + Math.pow(rt[1] - rf[1], 2);
        assertEquals(loss, u.loss(), 1e-12);
        // the target phase pushes the labelled output up and the other down: gradient convention signs
        assertTrue(e2[LABEL] < 0 && e2[1 - LABEL] > 0);
        assertTrue(db2.getDouble(0, LABEL) < 0);
    }

    @Test void etasAndRunLrScaleTheUpdate() {
        Updates a = rule(Map.of()).compute(tiny(), batch(), feedback(), RuleTestSupport.ctx(0, 1));
        Updates b = rule(Map.of("etas", List.of(0.42, 0.105))).compute(tiny(), batch(), feedback(), RuleTestSupport.ctx(0, 1));
        assertEquals(2 * a.get("layer0.W").getDouble(0, 0), b.get("layer0.W").getDouble(0, 0), 1e-12);
        assertEquals(0.5 * a.get("layer1.W").getDouble(1, 1), b.get("layer1.W").getDouble(1, 1), 1e-12);
    }

    @Test void predictIsTheForwardPhaseOutputRate() {
        Network net = tiny();
        INDArray out = rule(Map.of()).predict(net, null, Nd4j.create(new double[][] {X}), feedback());
        double kB = 6.0 / 7, kD = 6.0 / 7;
        double r10 = 0.2 * sig(kB * (0.2 * X[0] * W1[0][0] + 0.2 * X[1] * W1[1][0] + B1[0]));
        double r11 = 0.2 * sig(kB * (0.2 * X[0] * W1[0][1] + 0.2 * X[1] * W1[1][1] + B1[1]));
        assertEquals(sig(kD * (r10 * W2[0][1] + r11 * W2[1][1] + B2[1])), out.getDouble(0, 1), 1e-12);
    }

    @Test void batchedIsTheMeanOfOnlineUpdatesAndOnlineRefusesBatches() {
        Batch two = new Batch(Nd4j.create(new double[][] {X, {0.1, 0.6}}), Nd4j.create(new double[][] {{0, 1}, {1, 0}}), new int[] {1, 0});
        assertThrows(UserError.class, () -> rule(Map.of()).compute(tiny(), two, feedback(), RuleTestSupport.ctx(0, 1)));
        Updates both = rule(Map.of("batched", true)).compute(tiny(), two, feedback(), RuleTestSupport.ctx(0, 1));
        Updates first = rule(Map.of()).compute(tiny(), batch(), feedback(), RuleTestSupport.ctx(0, 1));
        Updates second = rule(Map.of()).compute(tiny(), new Batch(Nd4j.create(new double[][] {{0.1, 0.6}}),
                Nd4j.create(new double[][] {{1, 0}}), new int[] {0}), feedback(), RuleTestSupport.ctx(0, 1));
        INDArray mean = first.get("layer0.W").add(second.get("layer0.W")).divi(2);
        assertTrue(mean.equalsWithEps(both.get("layer0.W"), 1e-12));
    }

    @Test void diagnosticsAngleAndEigenvalue() {
        Sdd r = rule(Map.of());
        Network net = tiny();
        r.compute(net, batch(), feedback(), RuleTestSupport.ctx(0, 1));
        Map<String, Double> d = r.diagnostics(net, feedback());
        // U = k_D (Y W2)ᵀ
        double kD = 6.0 / 7;
        double[][] u = new double[2][2];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) {
            double yw = 0;
            for (int k = 0; k < 2; k++) yw += YF[i][k] * W2[k][j];
            u[j][i] = kD * yw;
        }
        double[][] a = {{1 - u[0][0], -u[0][1]}, {-u[1][0], 1 - u[1][1]}};
        double p = a[0][0] * a[0][0] + a[1][0] * a[1][0], q = a[0][0] * a[0][1] + a[1][0] * a[1][1];
        double s = a[0][1] * a[0][1] + a[1][1] * a[1][1];
        double maxEig = (p + s) / 2 + Math.sqrt((p - s) * (p - s) / 4 + q * q);
        assertEquals(maxEig, d.get("sdd.max_eig"), 1e-9);
        double angle = d.get("sdd.angle_hidden_bp");
        assertTrue(angle >= 0 && angle <= 180, "angle " + angle);
    }

    @Test void symmetricFeedbackAlignsWithBackprop() {
        Sdd r = rule(Map.of("feedback", "symmetric", "weight_init", "keep"));
        Network net = tiny();
        RuleState st = r.init(net, RuleTestSupport.rng(3));
        assertTrue(st.get("layer0.Y").equalsWithEps(Nd4j.create(W2).transpose(), 1e-12));
    }

    @Test void feedbackVariants() {
        org.creditlab.nn.Network big = new org.creditlab.nn.NetworkSpec("fc", new long[] {20}, List.of(50), 10,
                Activation.SIGMOID, Activation.SIGMOID, Initializer.XAVIER_NORMAL, true, new MeanSquaredError(),
                DataType.DOUBLE).build(RuleTestSupport.rng(1));
        INDArray ySparse = rule(Map.of("feedback", "sparse")).init(big, RuleTestSupport.rng(2)).get("layer0.Y");
        double zeros = ySparse.eq(0.0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertEquals(0.8, zeros, 0.06, "sparse feedback zero fraction");

        Sdd learned = rule(Map.of("feedback", "learned", "b_eta", 0.5));
        RuleState st = learned.init(big, RuleTestSupport.rng(2));
        INDArray before = st.get("layer0.Y").dup();
        Batch one = new Batch(Nd4j.rand(DataType.DOUBLE, 1, 20), Nd4j.zeros(DataType.DOUBLE, 1, 10), new int[] {3});
        learned.compute(big, one, st, RuleTestSupport.ctx(0, 1));
        learned.afterStep(big, st, RuleTestSupport.ctx(0, 1));
        assertFalse(before.equalsWithEps(st.get("layer0.Y"), 1e-12), "learned feedback moved");

        Sdd sym = rule(Map.of("feedback", "symmetric"));
        RuleState ss = sym.init(big, RuleTestSupport.rng(2));
        Updates u = sym.compute(big, one, ss, RuleTestSupport.ctx(0, 1));
        big.layer(1).weight().subi(u.get("layer1.W"));
        sym.afterStep(big, ss, RuleTestSupport.ctx(0, 1));
        assertTrue(ss.get("layer0.Y").equalsWithEps(big.layer(1).weight().transpose(), 1e-12), "symmetric tracks W");
    }
}
