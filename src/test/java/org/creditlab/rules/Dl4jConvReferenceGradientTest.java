package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.creditlab.GradCheck;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Conv2d;
import org.creditlab.nn.Dense;
import org.creditlab.nn.GlobalAvgPool;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Layer;
import org.creditlab.nn.Network;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.nn.Param;
import org.creditlab.nn.Pool2d;
import org.creditlab.nn.PostOp;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.creditlab.nn.MeanSquaredError;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Our backprop on convolutional networks against DL4J's {@code ConvolutionLayer} / {@code SubsamplingLayer} /
 * {@code GlobalPoolingLayer} / {@code DenseLayer} / {@code OutputLayer} on identical parameters and batches, in double:
 * the LeNet preset, the {@code conv} preset (stride-2 SAME) on even and odd inputs, and a spec with explicit padding,
 * average pooling, overlapping max pooling and a GAP readout.
 *
 * <p>Conventions checked here rather than assumed (see also {@link Dl4jReferenceGradientTest}):
 * <ul>
 *   <li>DL4J's conv kernel is [nOut, nIn, kH, kW], the same as ours: the shapes are asserted and the kernels copied
 *       by logical index.</li>
 *   <li>The flat input rows [B, C·H·W] are read as [B, C, H, W] in c order by DL4J's
 *       {@code FeedForwardToCnnPreProcessor} (from {@code InputType.convolutionalFlat}), and the conv activity is
 *       flattened for a dense layer by {@link CnnToFeedForwardPreProcessor} in c order (channel, row, column), as
 *       our {@link Dense} flattens: a dense kernel copied unchanged gives equal gradients only if both hold.</li>
 *   <li>{@code ConvolutionMode.Same} pads as our SAME (output ⌈H/S⌉, the odd pixel at the bottom/right for stride 2 on
 *       an even input); explicit padding is {@code ConvolutionMode.Truncate} with {@code padding(p, p)}.</li>
 *   <li>DL4J's gradient is the batch <em>sum</em> (its updater divides later), so it is divided by B.</li>
 * </ul>
 * Tolerance 1e-9 absolute on gradients of size ~1e-3–1: the two implementations differ only in the order of
 * double-precision sums (im2col/gemm vs libnd4j's conv2d_bp), ~1e-15 relative; a layout or padding mismatch gives
 * differences of the gradients' own size.
 */
class Dl4jConvReferenceGradientTest {
    private static final int BATCH = 4;
    private static final double TOL = 1e-9;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("lenet", new long[] {1, 16, 16}, 0, Activation.RELU, false),
                Arguments.of("lenet", new long[] {1, 20, 20}, 0, Activation.TANH, true),
                Arguments.of("conv", new long[] {1, 8, 8}, 4, Activation.RELU, false),      // stride-2 SAME, 8 -> 4: pad 0 top, 1 bottom
                Arguments.of("conv", new long[] {3, 7, 7}, 5, Activation.TANH, false),      // 7 -> 4: pad 1 each side
                Arguments.of("conv3k3p1,act,avgpool2,conv4k3s2,act,maxpool2s1,fc10", new long[] {2, 10, 10}, 0, Activation.TANH, false),
                Arguments.of("conv4k3same,act,conv5k3s2same,act,gap,fc10", new long[] {2, 6, 6}, 0, Activation.RELU, false));
    }

    @ParameterizedTest(name = "{0} on {1}, width {2}, {3}, mse {4}")
    @MethodSource("cases")
    void gradientsAndLossEqualDl4j(String network, long[] in, int width, Activation hidden, boolean mse) {
        long seed = 900 + network.length() + in[1] + width;
        Network ours = build(network, in, width, hidden, mse, seed);
        INDArray x = ConvFixtures.images(seed + 1, BATCH, in, DataType.DOUBLE);
        INDArray y = mse ? GradCheck.uniformTargets(BATCH, 10, seed + 2) : GradCheck.oneHot(BATCH, 10, seed + 2);
        Updates mine = Backprop.gradient(ours, new Batch(x, y, new int[BATCH]));

        List<Integer> index = new ArrayList<>();
        MultiLayerNetwork ref = dl4jCopy(ours, in, hidden, mse, index);
        ref.setInput(x.dup());
        ref.setLabels(y.dup());
        ref.computeGradientAndScore();
        assertEquals(ref.score(), mine.loss(), 1e-12, "batch-mean loss");
        assertEquals(0.0, Transforms.abs(ref.output(x.dup()).sub(ours.predict(x))).maxNumber().doubleValue(), 1e-12, "outputs");

        Gradient g = ref.gradient();
        for (int l = 0; l < ours.depth(); l++) {
            for (String kind : List.of("W", "b")) {
                INDArray m = mine.get("layer" + l + "." + kind);
                INDArray theirs = g.getGradientFor(index.get(l) + "_" + kind).div(BATCH);   // sum -> batch mean
                assertEquals(m.length(), theirs.length(), "layer" + l + "." + kind);
                theirs = theirs.reshape(m.shape());                                          // DL4J's biases are [nOut]
                double diff = Transforms.abs(m.sub(theirs)).maxNumber().doubleValue();
                assertTrue(diff < TOL, "layer" + l + "." + kind + ": max |ours - dl4j| = " + diff);
                assertTrue(m.amaxNumber().doubleValue() > 1e-6, "layer" + l + "." + kind + ": a vacuous comparison of zeros");
            }
        }
    }

    /** DL4J flattens conv activity for a dense layer with CnnToFeedForwardPreProcessor, in c order. */
    @Test void dl4jFlattensConvActivityInCOrder() {
        INDArray act = GradCheck.randn(3, 2, 3, 4, 5);
        CnnToFeedForwardPreProcessor pre = new CnnToFeedForwardPreProcessor(4, 5, 3);
        INDArray flat = pre.preProcess(act.dup(), 2, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        assertEquals(act.reshape('c', 2, 60), flat);
        assertEquals(2 * 20 + 3 * 5 + 4, indexOf(flat, act.getDouble(1, 2, 3, 4)), "channel, row, column");
    }

    private static int indexOf(INDArray flat, double v) {
        for (int i = 0; i < flat.columns(); i++) if (flat.getDouble(1, i) == v) return i;
        return -1;
    }

    static Network build(String network, long[] in, int width, Activation hidden, boolean mse, long seed) {
        Activation out = mse ? Activation.SIGMOID : Activation.SOFTMAX;
        var loss = mse ? new MeanSquaredError() : new SoftmaxCrossEntropy();
        Network net;
        if (NetworkSpec.PRESETS.containsKey(network)) {
            net = new NetworkSpec(network, in, List.of(), 10, hidden, out, Initializer.XAVIER_NORMAL, true, loss,
                    DataType.DOUBLE, null, width).build(GradCheck.rng(seed));
            var rng = GradCheck.rng(seed + 5);
            for (Param p : net.params()) {
                if (p.kind() == Param.Kind.BIAS) p.value().assign(GradCheck.gaussian(rng, p.value().shape()).muli(0.3));
            }
        } else {
            net = ConvFixtures.build(network, in, 10, hidden, out, loss, true, DataType.DOUBLE, seed);
        }
        return net;
    }

    /**
     * A DL4J network with our architecture and parameters (no regularisation, no updater); {@code index} receives
     * the DL4J layer index of each of our layers (pooling layers take indices of their own there).
     */
    static MultiLayerNetwork dl4jCopy(Network ours, long[] in, Activation hidden, boolean mse, List<Integer> index) {
        org.nd4j.linalg.activations.Activation h = switch (hidden) {
            case RELU -> org.nd4j.linalg.activations.Activation.RELU;
            case TANH -> org.nd4j.linalg.activations.Activation.TANH;
            default -> throw new IllegalArgumentException(hidden.toString());
        };
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(1).updater(new NoOp()).weightInit(WeightInit.XAVIER).list();
        int i = 0;
        for (int l = 0; l < ours.depth(); l++) {
            Layer layer = ours.layer(l);
            index.add(i);
            boolean last = l == ours.depth() - 1;
            if (layer.op() instanceof Conv2d c) {
                assertEquals(hidden, layer.activation());
                ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(c.kernel(), c.kernel())
                        .nOut(c.outputShape()[0]).stride(c.stride(), c.stride()).activation(h).hasBias(true);
                switch (c.padding()) {
                    case SAME -> b.convolutionMode(ConvolutionMode.Same);
                    case VALID -> b.convolutionMode(ConvolutionMode.Truncate);
                    case EXPLICIT -> b.convolutionMode(ConvolutionMode.Truncate).padding(c.pad(), c.pad());
                }
                list.layer(i++, b.build());
            } else if (last) {
                list.layer(i++, new OutputLayer.Builder(mse ? new LossMSE() : new LossMCXENT()).nOut(layer.op().outputShape()[0])
                        .activation(mse ? org.nd4j.linalg.activations.Activation.SIGMOID
                                : org.nd4j.linalg.activations.Activation.SOFTMAX).build());
            } else {
                list.layer(i++, new DenseLayer.Builder().nOut(layer.op().outputShape()[0]).activation(h).build());
            }
            for (PostOp p : layer.post()) {
                if (p instanceof Pool2d pool) {
                    list.layer(i++, new SubsamplingLayer.Builder(pool.kind() == Pool2d.Kind.MAX ? PoolingType.MAX : PoolingType.AVG)
                            .kernelSize(pool.kernel(), pool.kernel()).stride(pool.stride(), pool.stride())
                            .convolutionMode(ConvolutionMode.Truncate).build());
                } else if (p instanceof GlobalAvgPool) {
                    list.layer(i++, new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(true).build());
                } else {
                    throw new IllegalArgumentException(p.id());
                }
            }
        }
        list.setInputType(InputType.convolutionalFlat(in[1], in[2], in[0]));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        for (int l = 0; l < ours.depth(); l++) {
            String w = index.get(l) + "_W";
            // the kernel layout [nOut, nIn, kH, kW] (conv) and [nIn, nOut] (dense) is DL4J's too
            assertArrayEquals(ours.layer(l).weight().shape(), net.getParam(w).shape(), "layer " + l + " weight layout");
            net.setParam(w, ours.layer(l).weight().dup());
            INDArray b = net.getParam(index.get(l) + "_b");
            net.setParam(index.get(l) + "_b", ours.layer(l).bias().dup().reshape(b.shape()));
            assertEquals(0.0, Transforms.abs(ours.layer(l).weight().sub(net.getParam(w))).maxNumber().doubleValue());
        }
        return net;
    }
}
