package org.creditlab.rules;

import static org.creditlab.rules.RuleTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.creditlab.nn.Activation;
import org.creditlab.nn.LayerRecord;
import org.creditlab.nn.Loss;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.Network;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.creditlab.optim.Momentum;
import org.creditlab.optim.Optimizer;
import org.creditlab.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The loss-difference helper, and short trainer-like loops (compute → optimizer → afterStep). */
class PerturbationAndPepitaLearningTest {

    private static LayerRecord out(INDArray a, INDArray h) {
        return new LayerRecord(null, a, null, null, a, h, null, h);
    }

    @Test void crossEntropyDifferenceMatchesTheDirectDoubleDifference() {
        INDArray a = Nd4j.create(new double[][] {{0.3, -1.2, 2.0}, {5.0, 0.1, -0.4}});
        INDArray y = Nd4j.create(new double[][] {{0, 0, 1}, {0, 1, 0}});
        Loss ce = new SoftmaxCrossEntropy();
        for (double scale : new double[] {1e-7, 1e-4, 1e-2, 0.5}) {
            INDArray d = Nd4j.create(new double[][] {{1, -2, 0.5}, {-1, 3, 2}}).muli(scale);
            INDArray at = a.add(d);
            INDArray got = LossDifference.perExample(ce, out(at, org.nd4j.linalg.ops.transforms.Transforms.softmax(at, true)),
                    out(a, org.nd4j.linalg.ops.transforms.Transforms.softmax(a, true)), y);
            for (int b = 0; b < 2; b++) {
                double expected = lse(at.getRow(b)) - lse(a.getRow(b)) - (at.getDouble(b, b == 0 ? 2 : 1) - a.getDouble(b, b == 0 ? 2 : 1));
                assertEquals(expected, got.getDouble(b), Math.abs(expected) * 1e-6 + 1e-15, "scale " + scale + " row " + b);
            }
        }
    }

    private static double lse(INDArray row) {
        double m = row.maxNumber().doubleValue(), s = 0;
        for (int i = 0; i < row.length(); i++) s += Math.exp(row.getDouble(i) - m);
        return m + Math.log(s);
    }

    @Test void mseDifferenceIsExactForFloatOutputs() {
        INDArray h = Nd4j.create(new float[][] {{0.7f, 0.2f}}); 
        INDArray ht = h.add(Nd4j.create(new float[][] {{3e-5f, -1e-5f}}));
        INDArray y = Nd4j.create(new float[][] {{1f, 0f}});
        double got = LossDifference.perExample(new MeanSquaredError(), out(ht, ht), out(h, h), y).getDouble(0);
        double e0 = 0, e1 = 0;
        for (int c = 0; c < 2; c++) {
            double t = ht.getFloat(0, c), v = h.getFloat(0, c), yy = y.getFloat(0, c);
            e0 += (t - yy) * (t - yy) / 2;
            e1 += (v - yy) * (v - yy) / 2;
        }
        assertEquals(e0 - e1, got, 1e-15);
    }

    private static double train(LearningRule rule, Network net, Batch batch, Optimizer opt, double lr, int steps) {
        RuleState state = rule.init(net, rng(2));
        StepContext c = ctx(0, 3);
        for (int s = 0; s < steps; s++) {
            c = new StepContext(s, 0, lr, c.noise(), c.dropout());
            c.noise().setSeed(1000 + s);
            c.dropout().setSeed(2000 + s);
            Updates u = rule.compute(net, batch, state, c);
            opt.apply(net.params(), u, lr);
            rule.afterStep(net, state, c);
        }
        return Backprop.gradient(net, batch).loss();
    }

    /** SGD with {@code rule} on a 6-8-3 sigmoid/MSE network and one batch of 12 cuts the loss by at least 20 %. */
    private static void assertReducesTheLoss(LearningRule rule, Activation hidden, long seed, int steps) {
        Network net = net(6, List.of(8), 3, hidden, Activation.SIGMOID, new MeanSquaredError(), true, DataType.FLOAT, seed);
        Batch batch = batch(12, 6, 3, DataType.FLOAT, seed + 1);
        double before = Backprop.gradient(net, batch).loss();
        double after = train(rule, net, batch, new Sgd(), 0.5, steps);
        assertTrue(after < 0.8 * before, before + " -> " + after);
    }

    @Test void nodePerturbationWithWeightNormReducesTheLoss() {
        assertReducesTheLoss(RuleRegistry.get("np").create(new RuleOptions("np", Map.of("weight_norm", "all"))),
                Activation.RELU, 12, 200);
    }

    /** Weight perturbation learns on a small network, and by default runs on node perturbation's settings (its control) at a smaller lr. */
    @Test void weightPerturbationReducesTheLossAndSharesNodePerturbationsDefaults() {
        assertReducesTheLoss(RuleRegistry.get("wp").create(new RuleOptions("wp", Map.of())), Activation.TANH, 16, 400);
        Map<String, Object> npSettings = new java.util.HashMap<>(RuleRegistry.get("np").configDefaults());
        Map<String, Object> wpSettings = new java.util.HashMap<>(RuleRegistry.get("wp").configDefaults());
        assertEquals(0.003, (Double) wpSettings.remove("lr"), 0.0);
        npSettings.remove("lr");
        assertEquals(npSettings, wpSettings, "np's settings apart from the learning rate");
    }

    @Test void pepitaReducesTheLossAndAntiAlignsTheForwardProductWithF() {
        Network net = net(20, List.of(32), 3, Activation.RELU, Activation.SOFTMAX, new SoftmaxCrossEntropy(), false,
                DataType.FLOAT, 14);
        Batch batch = batch(30, 20, 3, DataType.FLOAT, 15);
        double before = Backprop.gradient(net, batch).loss();
        LearningRule pepita = RuleRegistry.get("pepita").create(new RuleOptions("pepita", Map.of()));
        RuleState state = pepita.init(net, rng(2));                  // the same F as train() draws (same seed)
        double angleBefore = pepita.diagnostics(net, state).get("pepita.f_angle");
        double after = train(pepita, net, batch, new Momentum(0.9), 0.01, 600);
        assertTrue(after < 0.5 * before, before + " -> " + after);
        // with x + Fe the forward product W_1 W_2 turns towards −F (rules.md §4.1: the angle moves above 90°)
        double angleAfter = pepita.diagnostics(net, state).get("pepita.f_angle");
        assertTrue(angleAfter > 100 && angleAfter > angleBefore + 20, "f_angle " + angleBefore + " -> " + angleAfter);
    }
}
