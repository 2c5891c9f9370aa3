package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.creditlab.GradCheck;
import org.creditlab.nn.Activation;
import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.Loss;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Backprop.gradient against central differences of the batch-mean loss, in double, for a 6-5-4-3
 * network with every hidden activation and every output head, on a batch of 7.
 */
class BackpropGradientTest {
    private static final int BATCH = 7;
    private static final double TOLERANCE = 1e-6;

    enum Head {
        SOFTMAX_CE(Activation.SOFTMAX, new SoftmaxCrossEntropy()),
        SIGMOID_MSE(Activation.SIGMOID, new MeanSquaredError()),
        LINEAR_MSE(Activation.LINEAR, new MeanSquaredError());

        final Activation activation;
        final Loss loss;

        Head(Activation activation, Loss loss) {
            this.activation = activation;
            this.loss = loss;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Activation hidden : List.of(Activation.RELU, Activation.TANH, Activation.SIGMOID, Activation.LINEAR)) {
            for (Head head : Head.values()) all.add(Arguments.of(hidden, head));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} hidden, {1} head")
    @MethodSource("cases")
    void backpropMatchesCentralDifferences(Activation hidden, Head head) {
        long seed = 1000 + 10L * hidden.ordinal() + head.ordinal();
        Network net = GradCheck.network(6, List.of(5, 4), 3, hidden, head.activation, head.loss, seed);
        INDArray x = GradCheck.randn(seed + 1, BATCH, 6);
        INDArray y = head == Head.SOFTMAX_CE ? GradCheck.oneHot(BATCH, 3, seed + 2)
                : GradCheck.uniformTargets(BATCH, 3, seed + 2);
        Batch batch = new Batch(x, y, new int[BATCH]);

        if (hidden == Activation.RELU) assertAwayFromKinks(net, x);

        Updates updates = Backprop.gradient(net, batch);
        double loss = batchMeanLoss(net, x, y);
        assertEquals(loss, updates.loss(), 1e-14, "the loss Updates reports is the batch-mean loss");

        for (Param p : net.params()) {
            INDArray g = updates.get(p.name());
            assertTrue(g != null, "no gradient for " + p.name());
            assertEquals(DataType.DOUBLE, g.dataType());
            double err = GradCheck.maxRelativeError(g, p.value(), () -> batchMeanLoss(net, x, y));
            assertTrue(err < TOLERANCE, p.name() + ": max relative error " + err);
        }
        assertEquals(net.params().size(), updates.asMap().size(), "one update per parameter, nothing else");
    }

    /** The objective: mean over the batch of the per-example loss, from a fresh forward pass. */
    static double batchMeanLoss(Network net, INDArray x, INDArray y) {
        ForwardPass pass = net.forward(x);
        return ErrorPropagation.loss(net, pass, y);
    }

    /**
     * Central differences are wrong where a ReLU pre-activation crosses 0 within ±H of a parameter
     * change. The seeds are chosen so no hidden pre-activation is that close; this makes it explicit.
     */
    private static void assertAwayFromKinks(Network net, INDArray x) {
        ForwardPass pass = net.forward(x);
        for (int l = 0; l < net.depth() - 1; l++) {
            double closest = org.nd4j.linalg.ops.transforms.Transforms.abs(pass.preActivation(l), true)
                    .minNumber().doubleValue();
            assertTrue(closest > 1e-4, "seed puts a relu pre-activation at " + closest + " in layer " + l);
        }
    }

    /**
     * The rule reuses its gradient buffers from step to step (the LearningRule contract): each compute still
     * returns that batch's gradient, and a copy kept from the first call is not disturbed by the second.
     */
    @org.junit.jupiter.api.Test
    void computeReusesItsBuffersYetEachCallReturnsItsBatchsGradient() {
        Network net = GradCheck.network(6, List.of(5, 4), 3, Activation.RELU, Activation.SOFTMAX, new SoftmaxCrossEntropy(), 77);
        Batch first = new Batch(GradCheck.randn(78, BATCH, 6), GradCheck.oneHot(BATCH, 3, 79), null);
        Batch second = new Batch(GradCheck.randn(80, BATCH, 6), GradCheck.oneHot(BATCH, 3, 81), null);
        Backprop bp = new Backprop();
        Updates a = bp.compute(net, first, RuleState.empty(), null);
        INDArray kept = a.get("layer0.W").dup();
        Updates b = bp.compute(net, second, RuleState.empty(), null);
        assertTrue(a.get("layer0.W") == b.get("layer0.W"), "the same buffer, overwritten");
        for (Param p : net.params()) {
            assertEquals(Backprop.gradient(net, second).get(p.name()), b.get(p.name()), p.name());
        }
        assertEquals(Backprop.gradient(net, first).get("layer0.W"), kept);
    }
}
