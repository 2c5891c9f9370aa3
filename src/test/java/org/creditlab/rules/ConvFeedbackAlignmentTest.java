package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.creditlab.nn.Activation;
import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Layer;
import org.creditlab.nn.Losses;
import org.creditlab.nn.Network;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.nn.Param;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The feedback-alignment family on convolutional networks: fa with B = W and dfa with one hidden layer. */
class ConvFeedbackAlignmentTest {

    private static Network preset(String name, int width, DataType dtype, long seed) {
        return new NetworkSpec(name, new long[] {1, 28, 28}, List.of(), 10, Activation.RELU, Activation.SOFTMAX,
                Initializer.XAVIER_NORMAL, true, Losses.byName("ce"), dtype, null, width).build(Fixtures.rng(seed));
    }

    private static Batch images(int n, long[] in, int classes, DataType dtype, long seed) {
        long d = 1;
        for (long s : in) d *= s;
        return Fixtures.synthetic(n, (int) d, classes, 0, dtype, seed);
    }

    /**
     * B_l = W_l for every layer: the same ops on the same values as backprop (the conv op pushes the error through
     * whatever kernel it is given), so every update is bit for bit backprop's, through max pooling (lenet) and
     * stride-2 SAME convolutions (conv).
     */
    @ParameterizedTest
    @CsvSource({"lenet, 0", "conv, 8"})
    void faWithFeedbackEqualToWIsExactlyBackprop(String name, int width) {
        Network net = preset(name, width, DataType.FLOAT, 1);
        Batch batch = images(6, new long[] {1, 28, 28}, 10, DataType.FLOAT, 2);
        FeedbackAlignment fa = FeedbackAlignment.fa();
        RuleState state = fa.init(net, Fixtures.rng(3));
        for (int l = 1; l < net.depth(); l++) {
            INDArray b = state.get(FeedbackAlignment.feedbackName(l));
            assertArrayEquals(net.layer(l).weight().shape(), b.shape(), "B_" + l + " has W_" + l + "'s (kernel) shape");
            assertNotEquals(net.layer(l).weight(), b);
            b.assign(net.layer(l).weight());
        }
        Updates bp = Backprop.gradient(net, batch);
        Updates u = fa.compute(net, batch, state, Fixtures.ctx(0, 0.1));
        Fixtures.assertSameUpdates(bp, u, net, 0.0);
        for (Param p : net.params()) assertTrue(bp.get(p.name()).amaxNumber().doubleValue() > 0, p.name());
    }

    @Test void faFeedbackKernelsAreDrawnLikeW() {
        Network net = preset("conv", 32, DataType.FLOAT, 4);
        RuleState state = FeedbackAlignment.fa().init(net, Fixtures.rng(5));
        Layer conv = net.layer(1);
        INDArray b = state.get(FeedbackAlignment.feedbackName(1));
        assertArrayEquals(new long[] {32, 32, 3, 3}, b.shape());
        double std = Initializer.XAVIER_NORMAL.std(32 * 9, 32 * 9);
        assertEquals(std, b.stdNumber().doubleValue(), 0.05 * std);
        double angle = Angles.degrees(conv.weight(), b);
        assertTrue(angle > 80 && angle < 100, "independent draws are nearly orthogonal: " + angle);
    }

    /**
     * DFA with one hidden layer, the conv layer directly followed by the readout (no pooling in between): DFA's
     * B_0 is [C·H·W, classes] (the conv layer's output size), which is exactly the readout's W, and with B_0 = W_1
     * DFA's projected error e·B_0ᵀ is FA's (and backprop's) W_1ᵀ-propagated error, reshaped to the feature maps.
     * (With pooling between the conv layer and the readout they are not equal: DFA projects onto the activity
     * before the pooling, [C·H·W] at the conv's resolution, while the readout's W has the pooled size, and FA's error
     * reaches only the pooling's arg-max positions; see {@link #dfaWithPoolingProjectsOntoTheActivityBeforeThePooling}.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"conv4k3,act,fc5", "conv4k3s2same,act,fc5", "ntk:conv4k3same,act,fc5"})
    void dfaWithOneHiddenConvLayerAndFeedbackEqualToReadoutIsFaAndBackprop(String spec) {
        long[] in = {2, 6, 6};
        Network net = ConvFixtures.build(spec, in, 5, Activation.RELU, Activation.SOFTMAX, new SoftmaxCrossEntropy(), true,
                DataType.FLOAT, 6);
        Batch batch = images(8, in, 5, DataType.FLOAT, 7);
        FeedbackAlignment dfa = FeedbackAlignment.dfa();
        RuleState state = dfa.init(net, Fixtures.rng(8));
        INDArray b = state.get(FeedbackAlignment.feedbackName(0));
        long n = net.layer(0).op().outputShape()[0] * net.layer(0).op().outputShape()[1] * net.layer(0).op().outputShape()[2];
        assertArrayEquals(new long[] {n, 5}, b.shape(), "B_0 is [C·H·W, classes]");
        assertArrayEquals(net.layer(1).weight().shape(), b.shape());
        b.assign(net.layer(1).weight());
        FeedbackAlignment fa = FeedbackAlignment.fa();
        RuleState faState = fa.init(net, Fixtures.rng(9));
        faState.get(FeedbackAlignment.feedbackName(1)).assign(net.layer(1).weight());
        Updates viaDfa = dfa.compute(net, batch, state, Fixtures.ctx(0, 0.1));
        Fixtures.assertSameUpdates(fa.compute(net, batch, faState, Fixtures.ctx(0, 0.1)), viaDfa, net, 0.0);
        Fixtures.assertSameUpdates(Backprop.gradient(net, batch), viaDfa, net, 0.0);
    }

    /**
     * With max pooling after the conv layer, DFA's hidden error is φ'(a_0) ⊙ reshape(e B_0ᵀ) at every position of
     * the conv output (before the pooling), and ΔW_0 is the conv weight gradient of that error: checked against this
     * formula, and shown to differ from FA's update with the readout's W (which only reaches the arg-max positions).
     */
    @Test void dfaWithPoolingProjectsOntoTheActivityBeforeThePooling() {
        long[] in = {1, 6, 6};
        Network net = ConvFixtures.build("conv3k3,act,maxpool2,fc4", in, 4, Activation.TANH, Activation.SOFTMAX,
                new SoftmaxCrossEntropy(), true, DataType.DOUBLE, 10);
        Batch batch = images(5, in, 4, DataType.DOUBLE, 11);
        FeedbackAlignment dfa = FeedbackAlignment.dfa();
        RuleState state = dfa.init(net, Fixtures.rng(12));
        INDArray b = state.get(FeedbackAlignment.feedbackName(0));
        assertArrayEquals(new long[] {3 * 4 * 4, 4}, b.shape(), "pre-pool size, not the readout's 3·2·2");
        Updates u = dfa.compute(net, batch, state, Fixtures.ctx(0, 0.1));

        ForwardPass pass = net.forward(batch.x());
        INDArray e = ErrorPropagation.outputDelta(net, pass, batch.y());
        INDArray a0 = pass.preActivation(0);                                       // [B, 3, 4, 4]
        INDArray tanhPrime = org.nd4j.linalg.ops.transforms.Transforms.tanh(a0, true);
        tanhPrime = tanhPrime.mul(tanhPrime).rsubi(1.0);
        INDArray delta0 = e.mmul(b.transpose()).reshape('c', a0.shape()).mul(tanhPrime);
        INDArray expectedW = net.layer(0).op().weightGradient(delta0, batch.x());
        INDArray expectedB = delta0.sum(0, 2, 3).reshape(1, 3);
        assertTrue(expectedW.equalsWithEps(u.get(Param.weightName(0)), 1e-12));
        assertTrue(expectedB.equalsWithEps(u.get(Param.biasName(0)), 1e-12));
        // every position of the conv output receives error, not only the pooling's arg-max (one in four)
        long nonzero = delta0.neq(0.0).castTo(DataType.DOUBLE).sumNumber().longValue();
        assertEquals(delta0.length(), nonzero);
        assertEquals(0.0, Fixtures.maxAbsDiff(Backprop.gradient(net, batch).get(Param.weightName(1)), u.get(Param.weightName(1))),
                "the readout gets its true gradient");
    }

    /** A deeper conv net: dfa sends the output error to both conv layers and gives the readout its true gradient. */
    @Test void dfaOnTheConvPresetRunsWithOneFeedbackPerHiddenLayer() {
        Network net = preset("conv", 4, DataType.FLOAT, 13);
        Batch batch = images(4, new long[] {1, 28, 28}, 10, DataType.FLOAT, 14);
        FeedbackAlignment dfa = FeedbackAlignment.dfa();
        RuleState state = dfa.init(net, Fixtures.rng(15));
        assertArrayEquals(new long[] {4 * 28 * 28, 10}, state.get(FeedbackAlignment.feedbackName(0)).shape());
        assertArrayEquals(new long[] {4 * 14 * 14, 10}, state.get(FeedbackAlignment.feedbackName(1)).shape());
        assertArrayEquals(new long[] {4 * 14 * 14, 10}, state.get(FeedbackAlignment.feedbackName(2)).shape());
        Updates u = dfa.compute(net, batch, state, Fixtures.ctx(0, 0.1));
        for (Param p : net.params()) {
            assertArrayEquals(p.value().shape(), u.get(p.name()).shape(), p.name());
            assertTrue(u.get(p.name()).amaxNumber().doubleValue() > 0, p.name());
        }
        assertEquals(0.0, Fixtures.maxAbsDiff(Backprop.gradient(net, batch).get(Param.weightName(3)), u.get(Param.weightName(3))));
    }
}
