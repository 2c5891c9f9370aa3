package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.creditlab.experiment.AlignmentProbe;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Conv2d;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Losses;
import org.creditlab.nn.Network;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.nn.Param;
import org.creditlab.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every kernel-feedback rule on convolutional networks: Kunin's learned-B rules (kp, sa, ia, wm, aa), the
 * sign-concordant ones (usf, frsf, brsf) and fa on a small conv net with max pooling and a stride-2 SAME conv, the
 * Align rules on the conv-ntk preset (narrow, small input), and for completeness bp, dfa, np, wp and pepita on the
 * same conv net; plus the alignment diagnostics (angle to the backprop gradient per parameter, the W–B angle) on
 * kernels.
 */
class ConvRulesTest {
    private static final long[] IN = {1, 8, 8};
    private static final List<String> ALIGN = List.of("align-zero", "align-ada", "align-prop");

    /** conv 3@3×3 SAME, relu, maxpool 2, conv 4@3×3 stride 2 SAME, relu, dense readout of 5 (softmax, CE). */
    private static Network convNet(long seed) {
        return ConvFixtures.build("conv3k3same,relu,maxpool2,conv4k3s2same,relu,fc5", IN, 5, Activation.RELU,
                Activation.SOFTMAX, Losses.byName("ce"), true, DataType.FLOAT, seed);
    }

    /** The conv-ntk preset (7 NTK convs with batch norm, GAP readout) at width 4 on 1×8×8, Align's MSE/linear head. */
    private static Network convNtk(long seed) {
        return new NetworkSpec("conv-ntk", IN, List.of(), 5, Activation.RELU, Activation.LINEAR, Initializer.NORMAL, true,
                Losses.byName("mse"), DataType.FLOAT, null, 4).build(Fixtures.rng(seed));
    }

    private static Batch batch(Network net, long seed) {
        boolean mse = net.loss().id().equals("mse");
        return Fixtures.synthetic(6, 64, 5, mse ? 0.1 : 0.0, DataType.FLOAT, seed);
    }

    private static LearningRule rule(String name) {
        return RuleRegistry.get(name).create(RuleOptions.none(name));
    }

    /**
     * Two training steps (compute, SGD, afterStep): every update has its parameter's shape and is finite, the
     * rule's feedback kernels have the kernels' shapes, learned ones move in afterStep, and the alignment probe gives
     * finite angles for every parameter and the W–B angle of every conv layer with a feedback kernel.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fa", "usf", "frsf", "brsf", "kp", "sa", "ia", "wm", "aa", "align-zero", "align-ada", "align-prop",
            "bp", "dfa", "np", "wp", "pepita"})
    void ruleTrainsAConvNetWithKernelShapedState(String name) {
        boolean align = ALIGN.contains(name);
        Network net = align ? convNtk(1) : convNet(1);
        Batch batch = batch(net, 2);
        LearningRule rule = rule(name);
        RuleState state = rule.init(net, Fixtures.rng(3));
        double lr = align ? 0.5 : 0.05;
        for (int step = 0; step < 2; step++) {
            StepContext ctx = Fixtures.ctx(step, lr);
            Map<String, INDArray> before = snapshotFeedback(net, state, !name.equals("dfa"));
            Updates u = rule.compute(net, batch, state, ctx);
            assertTrue(Double.isFinite(u.loss()), name + " loss");
            for (Param p : net.params()) {
                INDArray g = u.get(p.name());
                assertNotNull(g, name + ": no update for " + p.name());
                assertArrayEquals(p.value().shape(), g.shape(), name + ": " + p.name());
                assertTrue(Double.isFinite(g.norm2Number().doubleValue()), name + ": " + p.name() + " not finite");
                assertTrue(g.amaxNumber().doubleValue() > 0 || isBiasBeforeBatchNorm(net, p), name + ": " + p.name() + " all zeros");
            }
            Map<String, Object> probe = AlignmentProbe.measure(net, rule, state, batch, u, step, 0);
            for (Param p : net.params()) {
                if (isBiasBeforeBatchNorm(net, p)) continue;   // both are ~0: no direction to compare
                double angle = (Double) probe.get(p.name() + ".angle");
                assertTrue(angle >= 0 && angle <= 180, name + ": " + p.name() + ".angle " + angle);
                // random feedback need not point along the gradient before it has aligned; the Align rules start as bp
                if (align && step == 0) assertEquals(0.0, angle, 1e-3, name + " at step 0: " + p.name());
            }
            new Sgd().apply(net.params(), u, lr);
            rule.afterStep(net, state, ctx);
            for (Map.Entry<String, INDArray> e : before.entrySet()) {
                INDArray now = state.get(e.getKey());
                boolean learned = List.of("kp", "sa", "ia", "wm", "aa").contains(name);
                boolean redrawn = List.of("usf", "frsf", "brsf").contains(name);
                if (learned) assertTrue(Fixtures.maxAbsDiff(e.getValue(), now) > 0, name + " trains " + e.getKey());
                if (!learned && !redrawn) assertEquals(0.0, Fixtures.maxAbsDiff(e.getValue(), now), name + " keeps " + e.getKey() + " fixed");
            }
        }
        if (List.of("bp", "dfa", "np", "wp", "pepita").contains(name)) return;   // no kernel-shaped state
        Map<String, Double> diag = rule.diagnostics(net, state);
        for (int l = 0; l < net.depth(); l++) {
            if (!(net.layer(l).op() instanceof Conv2d)) continue;
            String key = name.equals("align-zero") || name.equals("align-ada") ? "layer" + l + ".angle_w_w0" : "layer" + l + ".angle_w_b";
            if (l == 0 && !key.endsWith("w0")) continue;   // no feedback into the input
            Double angle = diag.get(key);
            assertNotNull(angle, name + ": no " + key + " in " + diag);
            assertTrue(angle >= 0 && angle <= 180, name + ": " + key + " " + angle);
        }
    }

    private static boolean isBiasBeforeBatchNorm(Network net, Param p) {
        return p.kind() == Param.Kind.BIAS && net.layer(p.layer()).norm() != null;
    }

    private static Map<String, INDArray> snapshotFeedback(Network net, RuleState state, boolean kernelShaped) {
        Map<String, INDArray> m = new java.util.LinkedHashMap<>();
        for (int l = 1; l < net.depth(); l++) {
            String key = FeedbackAlignment.feedbackName(l);
            if (!state.has(key)) continue;
            INDArray b = state.get(key);
            if (kernelShaped) assertArrayEquals(net.layer(l).weight().shape(), b.shape(), key + " has the kernel's shape");
            m.put(key, b.dup());
        }
        return m;
    }

    /** usf/frsf/brsf on kernels: B = magnitude ⊙ sign(W), entry by entry, at every step. */
    @ParameterizedTest
    @ValueSource(strings = {"usf", "frsf", "brsf"})
    void signConcordantFeedbackKernelsShareWsSigns(String name) {
        Network net = convNet(4);
        LearningRule rule = rule(name);
        RuleState state = rule.init(net, Fixtures.rng(5));
        rule.compute(net, batch(net, 6), state, Fixtures.ctx(0, 0.1));
        for (int l = 1; l < net.depth(); l++) {
            INDArray b = state.get(FeedbackAlignment.feedbackName(l));
            assertEquals(1.0, Angles.signAgreement(net.layer(l).weight(), b), name + " layer " + l);
            assertTrue(Angles.degrees(net.layer(l).weight(), b) < 90);
        }
        if (name.equals("usf")) {
            double s = Initializer.XAVIER_NORMAL.std(3 * 9, 4 * 9);
            INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.sign(net.layer(1).weight(), true).muli(s);
            assertEquals(0.0, Fixtures.maxAbsDiff(expected, state.get(FeedbackAlignment.feedbackName(1))), 1e-9);
        }
    }

    /** On the conv-ntk preset at initialisation the Align rules' update is backprop's. */
    @ParameterizedTest
    @ValueSource(strings = {"align-zero", "align-ada", "align-prop"})
    void alignRulesEqualBackpropAtStepZeroOnConvNtk(String name) {
        Network net = convNtk(7);
        Batch batch = batch(net, 8);
        LearningRule rule = rule(name);
        RuleState state = rule.init(net, Fixtures.rng(9));
        Updates u = rule.compute(net, batch, state, Fixtures.ctx(0, 1.0));
        Fixtures.assertSameUpdates(Backprop.gradient(net, batch), u, net, 0.0);
    }

    /**
     * The diagnostics on kernels: with fa's B = W, the update's angle to the backprop gradient is 0 for every
     * parameter and so is the W–B angle of each conv layer; with fa's own random B the W–B angle of a kernel is near
     * 90° (independent draws of 36+ entries), and the probe reports a norm ratio and a sign agreement per parameter.
     */
    @Test void alignmentProbeMeasuresKernels() {
        Network net = convNet(10);
        Batch batch = batch(net, 11);
        FeedbackAlignment fa = FeedbackAlignment.fa();
        RuleState state = fa.init(net, Fixtures.rng(12));
        Map<String, Double> random = fa.diagnostics(net, state);
        assertTrue(Math.abs(random.get("layer1.angle_w_b") - 90) < 30, "kernel W-B angle " + random.get("layer1.angle_w_b"));
        Map<String, Object> probe = AlignmentProbe.measure(net, fa, state, batch, fa.compute(net, batch, state, Fixtures.ctx(0, 0.1)), 0, 0);
        assertEquals(0.0, (Double) probe.get("layer2.W.angle"), 1e-3, "the readout gets its true gradient");
        for (String p : List.of("layer0.W", "layer1.W", "layer0.b", "layer1.b")) {
            double angle = (Double) probe.get(p + ".angle");
            assertTrue(angle > 1e-3 && angle < 180, p + " through a random kernel: " + angle);
            assertTrue(Double.isFinite((Double) probe.get(p + ".norm_ratio")), p);
            double agree = (Double) probe.get(p + ".sign_agreement");
            assertTrue(agree >= 0 && agree <= 1, p);
        }
        for (int l = 1; l < net.depth(); l++) state.get(FeedbackAlignment.feedbackName(l)).assign(net.layer(l).weight());
        Map<String, Double> symmetric = fa.diagnostics(net, state);
        assertEquals(0.0, symmetric.get("layer1.angle_w_b"), 1e-3);
        assertEquals(1.0, symmetric.get("layer1.norm_ratio_b_w"), 1e-12);
        probe = AlignmentProbe.measure(net, fa, state, batch, fa.compute(net, batch, state, Fixtures.ctx(0, 0.1)), 0, 0);
        for (Param p : net.params()) {
            assertEquals(0.0, (Double) probe.get(p.name() + ".angle"), 1e-3, p.name());
            assertEquals(1.0, (Double) probe.get(p.name() + ".norm_ratio"), 1e-6, p.name());
            assertEquals(1.0, (Double) probe.get(p.name() + ".sign_agreement"), 0.0, p.name());
        }
        assertFalse(probe.containsKey("layer0.angle_w_b"));
    }

    /**
     * np's options on kernels: shared noise (one ξ per layer broadcast over the batch, rank 4 on conv layers) gives a
     * rank-one-in-the-batch estimate that still has the kernel's shape, and weight_norm rescales each output
     * channel's incoming kernel slice [C_in, k, k] to the initialiser's std.
     */
    @Test void nodePerturbationOptionsWorkOnKernels() {
        Network net = convNet(13);
        Batch batch = batch(net, 14);
        LearningRule shared = RuleRegistry.get("np").create(new RuleOptions("np", Map.of("noise", "shared")));
        Updates u = shared.compute(net, batch, RuleState.empty(), Fixtures.ctx(0, 0.1));
        for (Param p : net.params()) {
            assertArrayEquals(p.value().shape(), u.get(p.name()).shape(), p.name());
            assertTrue(Double.isFinite(u.get(p.name()).norm2Number().doubleValue()), p.name());
        }
        net.layer(1).weight().muli(3.0);
        RuleRegistry.get("np").create(new RuleOptions("np", Map.of("weight_norm", "all"))).afterStep(net, RuleState.empty(), Fixtures.ctx(0, 0.1));
        INDArray w = net.layer(1).weight();                                  // [4, 3, 3, 3]
        double std = Initializer.XAVIER_NORMAL.std(3 * 9, 4 * 9);
        for (int o = 0; o < 4; o++) {
            INDArray slice = w.get(org.nd4j.linalg.indexing.NDArrayIndex.point(o), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all());
            double rms = Math.sqrt(slice.mul(slice).meanNumber().doubleValue());
            assertEquals(std, rms, 1e-6 * std, "output channel " + o);
        }
    }

    /**
     * Kunin's losses on a kernel average over samples the way the op applies its weights (examples × output
     * positions): wm's amp term with white-noise input x ~ N(0, σ²) has E[∂amp/∂B] = −σ² W on a VALID convolution
     * (every patch entry is an input pixel, so E[patch patchᵀ] = σ² I at every position), exactly the dense fixed
     * point; one step with α = 0, β = 1, η_B = 1 therefore moves B by ≈ σ² W = 0.25 W. Averaging over examples only
     * would give 36 × that (6×6 positions). With 800 examples × 36 positions of a 27-entry patch the sampling error of
     * the step is ~√(28/28,800) ≈ 3 % of its norm (measured: 2.0°, ratio 0.249); tolerances 5° and ±0.03.
     */
    @Test void weightMirrorOnAKernelMirrorsWPerPosition() {
        long[] in = {1, 10, 10};
        Network net = ConvFixtures.build("conv3k3,relu,conv4k3,relu,fc5", in, 5, Activation.RELU, Activation.SOFTMAX,
                Losses.byName("ce"), true, DataType.DOUBLE, 16);
        assertEquals(36, net.layer(1).op().positions());
        Batch batch = new Batch(ConvFixtures.images(17, 800, in, DataType.DOUBLE),
                Fixtures.synthetic(800, 1, 5, 0, DataType.DOUBLE, 18).y(), new int[800]);
        AlignmentLossesTest.assertOneNoiseMirrorStepMovesBAlongW(net, batch, 19);
    }
}
