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
}
