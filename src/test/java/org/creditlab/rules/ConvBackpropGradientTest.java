package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Backprop's gradient on small convolutional networks built from layer specs against central differences of the
 * batch-mean loss, in double, for every entry of every parameter (kernels, conv biases, dense weights and biases).
 * Between them the specs cover SAME convolutions with stride 1 and 2 (on even inputs, where SAME pads one pixel
 * more at the bottom/right, and on odd ones), VALID and explicit padding, biases on and off, max and average pooling
 * (also with stride ≠ kernel, overlapping windows included), global average pooling, batch norm on conv activity,
 * the NTK scaling (with and without batch norm, which would otherwise hide the scale in the forward pass), dense
 * layers after pooling, and the softmax/CE and sigmoid/MSE heads.
 *
 * <p>Tolerance 1e-6 relative: in double with H = 1e-5 the central difference's truncation error is ~H²·f''' ~ 1e-10
 * and its round-off ~1e-16/H ~ 1e-11 relative to O(1) losses, so a correct gradient lands at 1e-8 or better; a wrong
 * padding offset, a missing NTK factor or a pooling error gives errors of order 1.
 */
class ConvBackpropGradientTest {
    private static final int BATCH = 3;
    private static final double TOLERANCE = 1e-6;

    static Stream<Arguments> cases() {
        return Stream.of(
                // SAME, stride 1 then stride 2 on a 6x6 map (output 3: the extra pixel of padding at the bottom/right)
                Arguments.of("conv3k3same,act,conv4k3s2same,act,fc3", new long[] {2, 6, 6}, Activation.TANH, true, false),
                // the same on an odd input (7 -> 4: symmetric padding)
                Arguments.of("conv3k3same,act,conv4k3s2same,act,fc3", new long[] {1, 7, 7}, Activation.TANH, true, false),
                // biases off
                Arguments.of("conv3k3same,act,conv4k3s2same,act,fc3", new long[] {2, 6, 6}, Activation.TANH, false, false),
                // VALID, max pooling, dense readout after pooling; also with the sigmoid/MSE head
                Arguments.of("conv3k3,act,maxpool2,fc3", new long[] {2, 6, 6}, Activation.TANH, true, false),
                Arguments.of("conv3k3,act,maxpool2,fc3", new long[] {2, 6, 6}, Activation.TANH, true, true),
                // explicit padding, average pooling, a padded conv after it
                Arguments.of("conv3k3p1,act,avgpool2,conv2k2p2,act,fc3", new long[] {1, 6, 6}, Activation.SIGMOID, true, false),
                // average pooling with stride != kernel (5 -> 2), a dense hidden layer after pooling
                Arguments.of("conv3k2,act,avgpool3s2,fc4,act,fc3", new long[] {2, 6, 6}, Activation.TANH, true, false),
                // max pooling with overlapping windows (stride 1 < kernel 3): one input can win several windows
                Arguments.of("conv3k2,act,maxpool3s1,fc3", new long[] {1, 6, 6}, Activation.TANH, true, false),
                // explicit stride 2 with VALID padding and a linear conv layer (no nonlinearity element)
                Arguments.of("conv3k3s2,conv2k2,act,fc3", new long[] {1, 7, 7}, Activation.TANH, true, false),
                // batch norm on conv activity (per channel over batch and positions), GAP readout
                Arguments.of("conv4k3same,bn,act,gap,fc3", new long[] {2, 5, 5}, Activation.TANH, true, false),
                // NTK parameterisation with batch norm and GAP (the conv-ntk shape in miniature)
                Arguments.of("ntk:conv3k3same,bn,act,conv4k3s2same,bn,act,gap,fc3", new long[] {2, 6, 6}, Activation.RELU, false, false),
                // NTK without batch norm: the 1/sqrt(k^2 C_in) and 1/sqrt(n_in) factors reach the loss directly
                Arguments.of("ntk:conv3k3same,act,maxpool2,fc4,act,fc3", new long[] {2, 6, 6}, Activation.TANH, true, false),
                // LeNet in miniature with ReLU: conv p1, maxpool, conv, maxpool, fc, fc
                Arguments.of("conv3k3p1,relu,maxpool2,conv4k2,relu,maxpool2,fc5,relu,fc3", new long[] {1, 8, 8}, Activation.RELU, true, false));
    }

    @ParameterizedTest(name = "{0} on {1}, bias {3}, mse {4}")
    @MethodSource("cases")
    void backpropMatchesCentralDifferences(String spec, long[] in, Activation hidden, boolean bias, boolean mse) {
        long seed = 31L * spec.hashCode() + in[1] + (bias ? 1 : 0) + (mse ? 2 : 0);
        Loss loss = mse ? new MeanSquaredError() : new SoftmaxCrossEntropy();
        Activation out = mse ? Activation.SIGMOID : Activation.SOFTMAX;
        Network net = ConvFixtures.build(spec, in, 3, hidden, out, loss, bias, DataType.DOUBLE, seed);
        INDArray x = ConvFixtures.images(seed + 1, BATCH, in, DataType.DOUBLE);
        INDArray y = mse ? GradCheck.uniformTargets(BATCH, 3, seed + 2) : GradCheck.oneHot(BATCH, 3, seed + 2);
        Batch batch = new Batch(x, y, new int[BATCH]);
        if (hidden == Activation.RELU || spec.contains("relu")) assertAwayFromKinks(net, x);

        Updates updates = Backprop.gradient(net, batch);
        assertEquals(BackpropGradientTest.batchMeanLoss(net, x, y), updates.loss(), 1e-14);
        assertEquals(net.params().size(), updates.asMap().size(), "one update per parameter");
        for (Param p : net.params()) {
            INDArray g = updates.get(p.name());
            assertTrue(g != null, "no gradient for " + p.name());
            if (p.kind() == Param.Kind.BIAS && net.layer(p.layer()).norm() != null) {
                // batch norm subtracts each channel's mean: a bias before it has no effect on the loss at all
                assertTrue(g.amaxNumber().doubleValue() < 1e-12, p.name() + " before batch norm: " + g);
            } else {
                assertTrue(g.amaxNumber().doubleValue() > 1e-6, p.name() + ": a vacuous comparison of zeros");
            }
            double err = ConvFixtures.maxRelativeError(g, p.value(), () -> BackpropGradientTest.batchMeanLoss(net, x, y));
            assertTrue(err < TOLERANCE, p.name() + " " + java.util.Arrays.toString(p.value().shape())
                    + ": max relative error " + err);
        }
    }

    /** The input itself as a rank-4 batch [B, C, H, W] gives the same gradient as the flat rows. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"conv3k3same,act,conv4k3s2same,act,fc3", "conv3k3,act,maxpool2,fc3"})
    void imageShapedInputGivesTheSameGradientAsRows(String spec) {
        long[] in = {2, 6, 6};
        Network net = ConvFixtures.build(spec, in, 3, Activation.TANH, Activation.SOFTMAX, new SoftmaxCrossEntropy(), true,
                DataType.DOUBLE, 5);
        INDArray rows = ConvFixtures.images(6, BATCH, in, DataType.DOUBLE);
        INDArray y = GradCheck.oneHot(BATCH, 3, 7);
        Updates a = Backprop.gradient(net, new Batch(rows, y, new int[BATCH]));
        Updates b = Backprop.gradient(net, new Batch(rows.reshape('c', BATCH, 2, 6, 6).dup(), y, new int[BATCH]));
        Fixtures.assertSameUpdates(a, b, net, 0.0);
    }

    /**
     * Central differences are wrong where a ReLU pre-activation crosses 0 within a parameter step; the seeds keep
     * every hidden pre-activation away from 0, and this makes it explicit.
     */
    private static void assertAwayFromKinks(Network net, INDArray x) {
        ForwardPass pass = net.forward(x);
        for (int l = 0; l < net.depth() - 1; l++) {
            double closest = Transforms.abs(pass.preActivation(l), true).minNumber().doubleValue();
            assertTrue(closest > 1e-4, "seed puts a relu pre-activation at " + closest + " in layer " + l);
        }
    }
}
