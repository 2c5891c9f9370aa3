package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.creditlab.nn.Activation;
import org.creditlab.nn.BatchNormNoAffine;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class AlignTest {

    private static Network ntk(long seed) {
        return Fixtures.net("fc-ntk", 20, List.of(32, 24), 5, Activation.LINEAR, "mse", Initializer.NORMAL,
                DataType.FLOAT, seed);
    }

    @Test
    void fcNtkHasBatchNormOnHiddenLayersAndUnitGaussianWeights() {
        Network net = Fixtures.net("fc-ntk", 400, List.of(300), 10, Activation.LINEAR, "mse",
                Initializer.XAVIER_NORMAL, DataType.FLOAT, 1);
        assertTrue(net.layer(0).norm() instanceof BatchNormNoAffine);
        assertEquals(null, net.layer(1).norm());
        assertEquals(1.0, net.layer(0).weight().stdNumber().doubleValue(), 0.02);
        assertEquals(1 / Math.sqrt(300), ((org.creditlab.nn.Dense) net.layer(1).op()).scale(), 1e-12);
        assertEquals(0.0, net.layer(0).bias().sumNumber().doubleValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"align-zero", "align-ada"})
    void atStepZeroTheUpdateIsExactlyBackprop(String name) {
        Network net = ntk(1);
        Batch batch = Fixtures.synthetic(16, 20, 5, 0.1, DataType.FLOAT, 2);
        LearningRule rule = RuleRegistry.get(name).create(RuleOptions.none(name));
        RuleState state = rule.init(net, Fixtures.rng(3));
        Updates u = rule.compute(net, batch, state, Fixtures.ctx(0, 1.0));
        Fixtures.assertSameUpdates(Backprop.gradient(net, batch), u, net, 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"align-zero", "align-ada"})
    void afterTrainingTheRulesDifferFromBackpropButKeepTheFrozenCopy(String name) {
        Network net = ntk(4);
        Network initial = net.copy();
        Batch batch = Fixtures.synthetic(16, 20, 5, 0.1, DataType.FLOAT, 5);
        LearningRule rule = RuleRegistry.get(name).create(RuleOptions.none(name));
        RuleState state = rule.init(net, Fixtures.rng(6));
        Fixtures.train(net, rule, state, new Sgd(), batch, 16, 5, 1.0);
        for (int l = 0; l < net.depth(); l++) {
            assertEquals(0.0, Fixtures.maxAbsDiff(initial.layer(l).weight(), state.get(Align.frozenWeightName(l))));
            assertNotEquals(initial.layer(l).weight(), net.layer(l).weight());
        }
        Updates u = rule.compute(net, batch, state, Fixtures.ctx(5, 1.0));
        assertNotEquals(Backprop.gradient(net, batch).get("layer0.W"), u.get("layer0.W"));
        // align-zero: the gradient of the frozen network, driven by the current error
        if (name.equals("align-zero")) {
            var pass = net.forward(batch.x());
            INDArray e = ErrorPropagation.outputDelta(net, pass, batch.y());
            Network frozen = Align.frozen(net, state);
            // readout: e ⊗ h⁰_{L-1} / √n
            INDArray h0 = frozen.forward(batch.x()).input(2);
            INDArray expected = h0.transpose().mmul(e).muli(1 / Math.sqrt(24));
            assertTrue(expected.equalsWithEps(u.get("layer2.W"), 1e-6));
        }
        // align-ada: the readout gets the delta rule on the current features
        if (name.equals("align-ada")) {
            assertEquals(0.0, Fixtures.maxAbsDiff(Backprop.gradient(net, batch).get("layer2.W"), u.get("layer2.W")));
        }
    }

    @Test
    void alignPropFeedbackIsTheInitialWeightsAndStaysFixed() {
        Network net = ntk(7);
        Network initial = net.copy();
        Batch batch = Fixtures.synthetic(16, 20, 5, 0.1, DataType.FLOAT, 8);
        LearningRule rule = RuleRegistry.get("align-prop").create(RuleOptions.none("align-prop"));
        RuleState state = rule.init(net, Fixtures.rng(9));
        for (int l = 1; l < net.depth(); l++) {
            assertEquals(0.0, Fixtures.maxAbsDiff(initial.layer(l).weight(), state.get("layer" + l + ".B")));
        }
        // at step 0 it is backprop
        Updates u0 = rule.compute(net, batch, state, Fixtures.ctx(0, 1.0));
        Fixtures.assertSameUpdates(Backprop.gradient(net, batch), u0, net, 0.0);
        Fixtures.train(net, rule, state, new Sgd(), batch, 16, 6, 1.0);
        for (int l = 1; l < net.depth(); l++) {
            assertEquals(0.0, Fixtures.maxAbsDiff(initial.layer(l).weight(), state.get("layer" + l + ".B")), "B stays W⁰");
            assertNotEquals(initial.layer(l).weight(), net.layer(l).weight(), "W moved");
            double angle = rule.diagnostics(net, state).get("layer" + l + ".angle_w_b");
            assertTrue(angle > 0 && angle < 90, "angle " + angle);
        }
    }

    /**
     * Independent check of align-ada against the reference construction (align train_kmnist.py): the update is
     * the gradient w.r.t. the current parameters of Σ e ⊙ (logits + logits_lin) with e fixed, where the current
     * layers see stop-gradiented inputs and the frozen ("lin") network's input at each junction is
     * value_lin + cur − sg(cur): at the post-BN pre-activation for hidden layers, after φ for the readout.
     * Checked by central differences, in double, after a few steps so that current ≠ frozen.
     */
    @Test
    void alignAdaMatchesTheReferenceSurrogateByFiniteDifferences() {
        Network net = Fixtures.net("fc-ntk", 6, List.of(9, 8), 3, Activation.LINEAR, "mse", Initializer.NORMAL,
                DataType.DOUBLE, 11);
        Batch batch = Fixtures.synthetic(7, 6, 3, 0.1, DataType.DOUBLE, 12);
        LearningRule ada = RuleRegistry.get("align-ada").create(RuleOptions.none("align-ada"));
        RuleState state = ada.init(net, Fixtures.rng(13));
        Fixtures.train(net, ada, state, new Sgd(), batch, 7, 4, 2.0);
        Updates u = ada.compute(net, batch, state, Fixtures.ctx(4, 2.0));
        Network frozen = Align.frozen(net, state);
        var cur0 = net.forward(batch.x());
        var lin = frozen.forward(batch.x());
        INDArray e = ErrorPropagation.outputDelta(net, cur0, batch.y());
        int last = net.depth() - 1;
        double h = 1e-6;
        for (int l = 0; l <= last; l++) {
            INDArray w = net.layer(l).weight();
            INDArray analytic = u.get(Param.weightName(l));
            for (long i = 0; i < w.length(); i += 2) {
                double v = w.getDouble(i);
                w.putScalar(i, v + h);
                double up = surrogate(net, frozen, cur0, lin, e, l);
                w.putScalar(i, v - h);
                double down = surrogate(net, frozen, cur0, lin, e, l);
                w.putScalar(i, v);
                assertEquals((up - down) / (2 * h), analytic.getDouble(i), 1e-7, "layer" + l + ".W[" + i + "]");
            }
        }
    }

    /** Σ e ⊙ (logits + logits_lin) as a function of layer l's current parameters only. */
    private static double surrogate(Network cur, Network frozen, org.creditlab.nn.ForwardPass cur0,
                                    org.creditlab.nn.ForwardPass lin, INDArray e, int l) {
        int last = cur.depth() - 1;
        if (l == last) return e.mul(cur.layer(last).linear(cur0.input(last))).sumNumber().doubleValue();
        org.creditlab.nn.Layer c = cur.layer(l);
        INDArray aNew = c.norm().forward(c.linear(cur0.input(l))).a();
        INDArray aOld = cur0.preActivation(l);
        INDArray hLin = l == last - 1
                ? lin.activation(l).add(c.activation().apply(aNew)).sub(c.activation().apply(aOld))
                : frozen.layer(l).activation().apply(lin.preActivation(l).add(aNew).sub(aOld));
        for (int k = l + 1; k <= last; k++) {
            org.creditlab.nn.Layer f = frozen.layer(k);
            INDArray z = f.linear(hLin);
            INDArray a = f.norm() == null ? z : f.norm().forward(z).a();
            hLin = f.activation().apply(a);
        }
        return e.mul(hLin).sumNumber().doubleValue();
    }
}
