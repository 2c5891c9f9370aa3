package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.creditlab.nn.Conv2d;
import org.creditlab.nn.Dense;
import org.creditlab.nn.LinearOp;
import org.creditlab.nn.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;

class AlignmentLossesTest {

    private static INDArray gaussian(long seed, long... shape) {
        INDArray t = Nd4j.create(DataType.DOUBLE, shape);
        Nd4j.getExecutioner().exec(new GaussianDistribution(t, 0.0, 1.0), Fixtures.rng(seed));
        return t;
    }

    /** Central differences of R in B, entry by entry. */
    private static INDArray numericGradient(java.util.function.ToDoubleFunction<INDArray> r, INDArray b) {
        INDArray g = b.ulike();
        double h = 1e-6;
        for (long i = 0; i < b.length(); i++) {
            double v = b.getDouble(i);
            b.putScalar(i, v + h);
            double up = r.applyAsDouble(b);
            b.putScalar(i, v - h);
            double down = r.applyAsDouble(b);
            b.putScalar(i, v);
            g.putScalar(i, (up - down) / (2 * h));
        }
        return g;
    }

    private static LinearOp dense(INDArray w) {
        return new Dense(w.size(0), w.size(1), 1.0);
    }

    private static void assertClose(INDArray expected, INDArray actual, double relTol) {
        double scale = Math.max(1e-8, expected.norm2Number().doubleValue());
        double err = expected.sub(actual).norm2Number().doubleValue() / scale;
        assertTrue(err < relTol, "relative error " + err + "\nexpected " + expected + "\nactual " + actual);
    }

    @ParameterizedTest
    @EnumSource(AlignmentLosses.Primitive.class)
    void primitiveGradientMatchesFiniteDifferences(AlignmentLosses.Primitive p) {
        INDArray w = gaussian(1, 6, 4);
        INDArray b = gaussian(2, 6, 4);
        INDArray x = gaussian(3, 5, 6);
        INDArray analytic = p.gradient(dense(w), w, b, x);
        assertClose(numericGradient(bb -> p.value(dense(w), w, bb, x), b), analytic, 1e-7);
    }

    /** The conv form: Y = conv(x; W), Bᵀ applied as the transposed convolution; stride 2 with SAME padding. */
    @ParameterizedTest
    @EnumSource(AlignmentLosses.Primitive.class)
    void primitiveGradientMatchesFiniteDifferencesOnAConvolution(AlignmentLosses.Primitive p) {
        LinearOp conv = new Conv2d(new long[] {2, 5, 5}, 3, 3, 2, Conv2d.Padding.SAME, 0, 1.0);
        INDArray w = gaussian(11, conv.weightShape());
        INDArray b = gaussian(12, conv.weightShape());
        INDArray x = gaussian(13, 4, 2, 5, 5);
        assertClose(numericGradient(bb -> p.value(conv, w, bb, x), b), p.gradient(conv, w, b, x), 1e-7);
    }

    @ParameterizedTest
    @EnumSource(AlignmentLosses.Kind.class)
    void ruleGradientMatchesFiniteDifferences(AlignmentLosses.Kind kind) {
        double[] c = kind.defaults();
        AlignmentLosses rule = new AlignmentLosses(kind, c, Double.NaN, false, 1.0);
        INDArray w = gaussian(4, 7, 3);
        INDArray b = gaussian(5, 7, 3);
        INDArray x = gaussian(6, 9, 7);
        assertClose(numericGradient(bb -> rule.value(dense(w), w, bb, x), b), rule.gradient(dense(w), w, b, x), 1e-6);
    }

    /** rules.md: with α = 1e-3, β = 2e-3, SA's gradient on B (kunin shapes) is 2αB − βWᵀ; ours, 2αB − βW. */
    @Test
    void symmetricAlignmentPullsBTowardsW() {
        INDArray w = gaussian(7, 5, 3);
        INDArray b = gaussian(8, 5, 3);
        AlignmentLosses sa = new AlignmentLosses(AlignmentLosses.Kind.SA, AlignmentLosses.Kind.SA.defaults(),
                Double.NaN, false, 1.0);
        INDArray expected = b.mul(2e-3).sub(w.mul(2e-3));
        assertTrue(expected.equalsWithEps(sa.gradient(dense(w), w, b, gaussian(9, 4, 5)), 1e-15));
        // R = 1e-3 ‖W − B‖² + const
        double r1 = sa.value(dense(w), w, b, gaussian(9, 4, 5));
        double r2 = 1e-3 * Math.pow(w.sub(b).norm2Number().doubleValue(), 2) - 1e-3 * Math.pow(w.norm2Number().doubleValue(), 2)
                + 2e-3 * Math.pow(w.norm2Number().doubleValue(), 2) - 1e-3 * Math.pow(w.norm2Number().doubleValue(), 2);
        assertEquals(r2, r1, 1e-12);
    }

    /** B moves by −η_B ∂R/∂B at the layer's input after the step; the forward weights get FA's update. */
    @Test
    void afterStepAppliesTheLocalLossGradientAtThePreStepWeights() {
        Network net = Fixtures.softmaxNet("fc", 12, List.of(10), 4, DataType.DOUBLE, 30);
        Batch batch = Fixtures.synthetic(6, 12, 4, 0, DataType.DOUBLE, 31);
        AlignmentLosses ia = AlignmentLosses.fromOptions(AlignmentLosses.Kind.IA, RuleOptions.none("ia"));
        RuleState state = ia.init(net, Fixtures.rng(32));
        INDArray b = state.get("layer1.B").dup();
        INDArray w = net.layer(1).weight().dup();
        INDArray x = net.forward(batch.x()).input(1);
        Updates u = ia.compute(net, batch, state, Fixtures.ctx(0, 0.5));
        FeedbackAlignment fa = FeedbackAlignment.fa();
        RuleState faState = fa.init(net, Fixtures.rng(33));
        faState.get("layer1.B").assign(b);
        Fixtures.assertSameUpdates(fa.compute(net, batch, faState, Fixtures.ctx(0, 0.5)), u, net, 0.0);
        new org.creditlab.optim.Sgd().apply(net.params(), u, 0.5);
        ia.afterStep(net, state, Fixtures.ctx(0, 0.5));
        INDArray expected = b.sub(ia.gradient(dense(w), w, b, x).mul(0.5));
        assertTrue(expected.equalsWithEps(state.get("layer1.B"), 1e-12));
    }

    /** wm with input = noise: x ~ N(0, σ²) so E[∂amp/∂B] = −σ² W; the step moves B along W, scaled by σ². */
    @Test
    void weightMirrorWithNoiseInputMirrorsW() {
        Network net = Fixtures.softmaxNet("fc", 12, List.of(10), 4, DataType.DOUBLE, 40);
        Batch batch = Fixtures.synthetic(2000, 12, 4, 0, DataType.DOUBLE, 41);
        assertOneNoiseMirrorStepMovesBAlongW(net, batch, 42);
    }

    /**
     * One weight-mirror step with noise input (std 0.5, beta 1, b_lr 1) on layer 1: E[∂amp/∂B] = −σ² W, so ΔB is
     * parallel to W with ‖ΔB‖/‖W‖ = σ² = 0.25. Shared by the fc test and its conv twin (ConvRulesTest).
     */
    static void assertOneNoiseMirrorStepMovesBAlongW(Network net, Batch batch, long seed) {
        AlignmentLosses wm = AlignmentLosses.fromOptions(AlignmentLosses.Kind.WM, new RuleOptions("wm",
                java.util.Map.of("input", "noise", "noise_std", 0.5, "alpha", 0.0, "beta", 1.0, "b_lr", 1.0)));
        RuleState state = wm.init(net, Fixtures.rng(seed));
        INDArray b = state.get("layer1.B").dup();
        INDArray w = net.layer(1).weight().dup();
        wm.compute(net, batch, state, Fixtures.ctx(0, 0.1));
        wm.afterStep(net, state, Fixtures.ctx(0, 0.1));
        INDArray step = state.get("layer1.B").sub(b);
        assertTrue(Angles.degrees(step, w) < 5, "ΔB ∥ W: " + Angles.degrees(step, w));
        assertEquals(0.25, step.norm2Number().doubleValue() / w.norm2Number().doubleValue(), 0.03);
    }
}
