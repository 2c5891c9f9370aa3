package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.creditlab.UserError;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Layer;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

class FeedbackAlignmentTest {

    /** Bit-for-bit: the same operations on the same values. */
    private static void assertSameUpdates(Updates expected, Updates actual, Network net) {
        Fixtures.assertSameUpdates(expected, actual, net, 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fc", "fc-ntk"})
    void faWithFeedbackEqualToWIsExactlyBackprop(String kind) {
        Network net = Fixtures.net(kind, 20, List.of(16, 12), 5, Activation.SOFTMAX, "ce",
                Initializer.XAVIER_NORMAL, DataType.FLOAT, 1);
        Batch batch = Fixtures.synthetic(8, 20, 5, 0, DataType.FLOAT, 2);
        FeedbackAlignment fa = FeedbackAlignment.fa();
        RuleState state = fa.init(net, Fixtures.rng(3));
        for (int l = 1; l < net.depth(); l++) {
            INDArray b = state.get(FeedbackAlignment.feedbackName(l));
            assertNotEquals(net.layer(l).weight(), b);
            b.assign(net.layer(l).weight());
        }
        assertSameUpdates(Backprop.gradient(net, batch), fa.compute(net, batch, state, Fixtures.ctx(0, 0.1)), net);
    }

    @Test
    void faFeedbackIsDrawnLikeWAndHasWsShape() {
        Network net = Fixtures.softmaxNet("fc", 200, List.of(100), 10, DataType.FLOAT, 1);
        RuleState state = FeedbackAlignment.fa().init(net, Fixtures.rng(3));
        assertTrue(!state.has(FeedbackAlignment.feedbackName(0)), "the first layer's B is never used");
        INDArray b = state.get(FeedbackAlignment.feedbackName(1));
        INDArray w = net.layer(1).weight();
        assertEquals(List.of(100L, 10L), List.of(b.shape()[0], b.shape()[1]));
        double std = Initializer.XAVIER_NORMAL.std(100, 10);
        assertEquals(std, b.stdNumber().doubleValue(), 0.15 * std);
        double angle = Angles.degrees(w, b);
        assertTrue(angle > 75 && angle < 105, "independent draws are nearly orthogonal: " + angle);
    }

    /** One hidden layer, B_0 = W_1: DFA's projected output error is exactly FA's (and so backprop's) signal. */
    @ParameterizedTest
    @ValueSource(strings = {"fc", "fc-ntk"})
    void dfaWithOneHiddenLayerAndFeedbackEqualToReadoutIsBackprop(String kind) {
        Network net = Fixtures.net(kind, 20, List.of(16), 5, Activation.SOFTMAX, "ce",
                Initializer.XAVIER_NORMAL, DataType.FLOAT, 4);
        Batch batch = Fixtures.synthetic(8, 20, 5, 0, DataType.FLOAT, 5);
        FeedbackAlignment dfa = FeedbackAlignment.dfa();
        RuleState state = dfa.init(net, Fixtures.rng(6));
        INDArray b = state.get(FeedbackAlignment.feedbackName(0));
        assertEquals(List.of(16L, 5L), List.of(b.shape()[0], b.shape()[1]));
        b.assign(net.layer(1).weight());
        FeedbackAlignment fa = FeedbackAlignment.fa();
        RuleState faState = fa.init(net, Fixtures.rng(7));
        faState.get(FeedbackAlignment.feedbackName(1)).assign(net.layer(1).weight());
        Updates viaDfa = dfa.compute(net, batch, state, Fixtures.ctx(0, 0.1));
        assertSameUpdates(fa.compute(net, batch, faState, Fixtures.ctx(0, 0.1)), viaDfa, net);
        assertSameUpdates(Backprop.gradient(net, batch), viaDfa, net);
    }

    @Test
    void dfaSendsTheOutputErrorToEveryHiddenLayer() {
        Network net = Fixtures.softmaxNet("fc", 20, List.of(16, 12), 5, DataType.DOUBLE, 8);
        Batch batch = Fixtures.synthetic(8, 20, 5, 0, DataType.DOUBLE, 9);
        FeedbackAlignment dfa = FeedbackAlignment.dfa();
        RuleState state = dfa.init(net, Fixtures.rng(10));
        Updates u = dfa.compute(net, batch, state, Fixtures.ctx(0, 0.1));
        var pass = net.forward(batch.x());
        INDArray e = ErrorPropagation.outputDelta(net, pass, batch.y());
        // layer 0 directly from e: δ_0 = φ'(a_0) ⊙ (e B_0ᵀ), g = xᵀ δ_0
        INDArray delta0 = e.mmul(state.get(FeedbackAlignment.feedbackName(0)).transpose())
                .muli(pass.preActivation(0).gt(0).castTo(DataType.DOUBLE));
        INDArray expected = batch.x().transpose().mmul(delta0);
        assertTrue(expected.equalsWithEps(u.get(Param.weightName(0)), 1e-12));
        assertEquals(0.0, Fixtures.maxAbsDiff(Backprop.gradient(net, batch).get(Param.weightName(2)), u.get(Param.weightName(2))));
    }

    @Test
    void usfUsesInitStdTimesSignOfW() {
        Network net = Fixtures.softmaxNet("fc", 20, List.of(16, 12), 5, DataType.FLOAT, 11);
        Batch batch = Fixtures.synthetic(8, 20, 5, 0, DataType.FLOAT, 12);
        FeedbackAlignment usf = FeedbackAlignment.usf();
        RuleState state = usf.init(net, Fixtures.rng(13));
        Updates u = usf.compute(net, batch, state, Fixtures.ctx(0, 0.1));
        FeedbackAlignment fa = FeedbackAlignment.fa();
        RuleState faState = fa.init(net, Fixtures.rng(14));
        for (int l = 1; l < net.depth(); l++) {
            Layer layer = net.layer(l);
            double s = Initializer.XAVIER_NORMAL.std(layer.op().fanIn(), layer.op().fanOut());
            INDArray expected = Transforms.sign(layer.weight(), true).muli(s);
            assertEquals(0.0, Fixtures.maxAbsDiff(expected, state.get(FeedbackAlignment.feedbackName(l))));
            faState.get(FeedbackAlignment.feedbackName(l)).assign(expected);
        }
        assertSameUpdates(fa.compute(net, batch, faState, Fixtures.ctx(0, 0.1)), u, net);
        // recomputed from the current W
        net.layer(1).weight().negi();
        usf.compute(net, batch, state, Fixtures.ctx(1, 0.1));
        assertEquals(1.0, Angles.signAgreement(net.layer(1).weight(), state.get(FeedbackAlignment.feedbackName(1))));
    }

    @Test
    void frsfAndBrsfAreSignConcordantWithFixedOrRedrawnMagnitudes() {
        Network net = Fixtures.softmaxNet("fc", 20, List.of(16), 5, DataType.FLOAT, 15);
        Batch batch = Fixtures.synthetic(8, 20, 5, 0, DataType.FLOAT, 16);
        FeedbackAlignment frsf = FeedbackAlignment.frsf();
        RuleState fs = frsf.init(net, Fixtures.rng(17));
        frsf.compute(net, batch, fs, Fixtures.ctx(0, 0.1));
        INDArray w = net.layer(1).weight();
        INDArray expected = Transforms.sign(w, true).muli(Transforms.abs(fs.get("layer1.R"), true));
        assertEquals(0.0, Fixtures.maxAbsDiff(expected, fs.get("layer1.B")));
        INDArray first = fs.get("layer1.B").dup();
        frsf.compute(net, batch, fs, Fixtures.ctx(1, 0.1));
        assertEquals(first, fs.get("layer1.B"), "frsf's magnitudes are fixed");

        FeedbackAlignment brsf = FeedbackAlignment.brsf();
        RuleState bs = brsf.init(net, Fixtures.rng(18));
        brsf.compute(net, batch, bs, Fixtures.ctx(0, 0.1));
        INDArray b0 = bs.get("layer1.B").dup();
        brsf.compute(net, batch, bs, Fixtures.ctx(1, 0.1));
        INDArray b1 = bs.get("layer1.B");
        assertNotEquals(b0, b1, "brsf redraws |R| every step");
        assertEquals(1.0, Angles.signAgreement(w, b0));
        assertEquals(1.0, Angles.signAgreement(w, b1));
    }

    @Test
    void kpGivesBTheGradientOfWPlusDecay() {
        Network net = Fixtures.softmaxNet("fc", 20, List.of(16), 5, DataType.DOUBLE, 19);
        Batch batch = Fixtures.synthetic(8, 20, 5, 0, DataType.DOUBLE, 20);
        FeedbackAlignment kp = FeedbackAlignment.kolenPollack(0.3, 1e-2);
        RuleState state = kp.init(net, Fixtures.rng(21));
        INDArray b = state.get("layer1.B").dup();
        Updates u = kp.compute(net, batch, state, Fixtures.ctx(0, 0.1));
        new org.creditlab.optim.Sgd().apply(net.params(), u, 0.1);
        kp.afterStep(net, state, Fixtures.ctx(0, 0.1));
        INDArray expected = b.sub(u.get("layer1.W").add(b.mul(2e-2)).mul(0.3));
        assertTrue(expected.equalsWithEps(state.get("layer1.B"), 1e-12));
    }

    @Test
    void unknownOptionIsAUserError() {
        UserError e = assertThrows(UserError.class,
                () -> RuleRegistry.get("kp").create(new RuleOptions("kp", Map.of("decy", 1e-3))));
        assertTrue(e.getMessage().contains("decy"), e.getMessage());
        assertThrows(UserError.class, () -> RuleRegistry.get("fa").create(new RuleOptions("fa", Map.of("b_lr", 1))));
        assertThrows(UserError.class, () -> RuleRegistry.get("sa").create(new RuleOptions("sa", Map.of("gamma", 1))));
        assertThrows(UserError.class, () -> RuleRegistry.get("wm").create(new RuleOptions("wm", Map.of("input", "uniform"))));
        assertThrows(UserError.class,
                () -> RuleRegistry.get("align-zero").create(new RuleOptions("align-zero", Map.of("phi_last", "current"))));
        // and the known ones are accepted
        RuleRegistry.get("ia").create(new RuleOptions("ia", Map.of("alpha", 1e-3, "beta", 1e-3, "gamma", 1e-3, "b_lr", 0.5)));
        RuleRegistry.get("wm").create(new RuleOptions("wm", Map.of("input", "noise", "noise_std", 0.1)));
        RuleRegistry.get("align-ada").create(new RuleOptions("align-ada", Map.of("phi_last", "initial")));
    }

    @Test
    void everyRuleIsRegisteredAndBuildsWithDefaults() {
        for (String name : List.of("fa", "dfa", "usf", "frsf", "brsf", "kp", "sa", "ia", "wm", "aa",
                "align-zero", "align-ada", "align-prop")) {
            LearningRule rule = RuleRegistry.get(name).create(RuleOptions.none(name));
            assertEquals(name, rule.name());
        }
        assertEquals("fc-ntk", RuleRegistry.get("align-zero").configDefaults().get("network"));
    }
}
