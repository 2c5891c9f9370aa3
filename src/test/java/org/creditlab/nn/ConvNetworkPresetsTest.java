package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The conv presets have the shapes, strides, paddings and scalings issue 10 gives them, and render back to themselves. */
class ConvNetworkPresetsTest {

    private static Network preset(String name, long[] in, int width) {
        return new NetworkSpec(name, in, List.of(), 10, Activation.RELU, Activation.SOFTMAX, Initializer.XAVIER_NORMAL, true,
                Losses.byName("ce"), DataType.FLOAT, null, width).build(Nd4j.getRandomFactory().getNewRandomInstance(1));
    }

    private static Conv2d conv(Network net, int l) {
        return (Conv2d) net.layer(l).op();
    }

    @Test void convIsThreeSameConvsWithStrideTwoInTheSecondAndADenseReadout() {
        Network net = preset("conv", new long[] {3, 32, 32}, 0);
        assertEquals(4, net.depth());
        int[] strides = {1, 2, 1};
        for (int l = 0; l < 3; l++) {
            assertEquals(3, conv(net, l).kernel());
            assertEquals(strides[l], conv(net, l).stride());
            assertEquals(Conv2d.Padding.SAME, conv(net, l).padding());
            assertEquals(32, conv(net, l).outputShape()[0]);
        }
        assertArrayEquals(new long[] {16 * 16 * 32, 10}, net.layer(3).weight().shape(), "readout from (H/2)(W/2)·32");
    }

    @Test void convLargeReadsOutFromAQuarterResolutionTimesClasses() {
        Network net = preset("conv-large", new long[] {3, 32, 32}, 0);
        long[][] kernels = {{96, 3, 5, 5}, {96, 96, 3, 3}, {192, 96, 5, 5}, {192, 192, 3, 3}, {192, 192, 3, 3}, {192, 192, 1, 1}, {10, 192, 1, 1}};
        for (int l = 0; l < kernels.length; l++) assertArrayEquals(kernels[l], net.layer(l).weight().shape(), "layer " + l);
        assertArrayEquals(new long[] {8 * 8 * 10, 10}, net.outputLayer().weight().shape());
    }

    @Test void lenetIsBioTorchsLeNet5() {
        Network net = preset("lenet", new long[] {1, 28, 28}, 0);
        assertArrayEquals(new long[] {6, 1, 5, 5}, net.layer(0).weight().shape());
        assertEquals(2, conv(net, 0).pad());
        assertArrayEquals(new long[] {6, 14, 14}, net.layer(0).outputShape(), "pad 2 keeps 28, maxpool 2 halves it");
        assertArrayEquals(new long[] {16, 5, 5}, net.layer(1).outputShape());
        assertArrayEquals(new long[] {400, 120}, net.layer(2).weight().shape());
        assertArrayEquals(new long[] {120, 84}, net.layer(3).weight().shape());
        assertArrayEquals(new long[] {84, 10}, net.layer(4).weight().shape());
        assertTrue(net.layer(0).post().get(0) instanceof Pool2d p && p.kind() == Pool2d.Kind.MAX && p.kernel() == 2 && p.stride() == 2);
    }

    @Test void pepitaConvReadsOut4608FeaturesOn28x28() {
        Network net = preset("pepita-conv", new long[] {1, 28, 28}, 0);
        assertArrayEquals(new long[] {32, 1, 5, 5}, net.layer(0).weight().shape());
        assertArrayEquals(new long[] {4608, 10}, net.layer(1).weight().shape());
    }

    /** Boopathy & Fiete's CNN: 7 SAME 3×3 convs, strides 1,1,1,2,1,2,1, scale 1/√(k²·C_in), N(0,1) weights, bn, GAP, 1/√n readout. */
    @Test void convNtkHasNtkScalingBatchNormAndAGapReadout() {
        Network net = preset("conv-ntk", new long[] {3, 32, 32}, 64);
        assertEquals(8, net.depth());
        int[] strides = {1, 1, 1, 2, 1, 2, 1};
        long cin = 3;
        for (int l = 0; l < 7; l++) {
            Conv2d c = conv(net, l);
            assertEquals(strides[l], c.stride(), "layer " + l);
            assertEquals(Conv2d.Padding.SAME, c.padding());
            assertEquals(1.0 / Math.sqrt(9.0 * cin), c.scale(), 1e-15, "layer " + l + " NTK scale");
            assertTrue(net.layer(l).norm() instanceof BatchNormNoAffine, "layer " + l + " bn");
            assertEquals(1.0, net.layer(l).weight().stdNumber().doubleValue(), 0.1, "N(0, 1) weights");
            cin = 64;
        }
        assertArrayEquals(new long[] {64, 8, 8}, net.layer(6).op().outputShape());
        assertTrue(net.layer(6).post().get(0) instanceof GlobalAvgPool);
        assertEquals(1.0 / Math.sqrt(64), ((Dense) net.outputLayer().op()).scale(), 1e-15);
        assertArrayEquals(new long[] {64, 10}, net.outputLayer().weight().shape());
    }

    @Test void everyConvPresetRendersToASpecThatBuildsTheSameShapes() {
        for (String name : List.of("conv", "conv-large", "lenet", "pepita-conv", "conv-ntk")) {
            Network net = preset(name, new long[] {3, 32, 32}, 0);
            String spec = LayerSpec.render(net);
            Network again = LayerSpec.parse(spec).build(new long[] {3, 32, 32}, 10, Activation.RELU, Activation.SOFTMAX,
                    Initializer.XAVIER_NORMAL, true, Losses.byName("ce"), DataType.FLOAT, Nd4j.getRandomFactory().getNewRandomInstance(1));
            assertEquals(net.depth(), again.depth(), name + ": " + spec);
            for (int l = 0; l < net.depth(); l++) {
                assertArrayEquals(net.layer(l).weight().shape(), again.layer(l).weight().shape(), name + " layer " + l + ": " + spec);
                assertArrayEquals(net.layer(l).outputShape(), again.layer(l).outputShape(), name + " layer " + l + ": " + spec);
                assertEquals(net.layer(l).weight(), again.layer(l).weight(), name + ": the same draws");
            }
        }
    }

    /** flatten before an fc layer is a marker: the network is the one without it, same shapes and the same draws. */
    @Test void flattenBeforeAnFcLayerChangesNothing() {
        for (String[] pair : new String[][] {
                {"conv4k3,relu,maxpool2,flatten,fc10", "conv4k3,relu,maxpool2,fc10"},
                {"conv4k3,relu,flatten,flatten,fc20,bn,relu,fc10", "conv4k3,relu,fc20,bn,relu,fc10"}}) {
            Network a = build(pair[0]);
            Network b = build(pair[1]);
            assertEquals(b.depth(), a.depth(), pair[0]);
            for (int l = 0; l < a.depth(); l++) {
                assertEquals(b.layer(l).weight(), a.layer(l).weight(), pair[0] + " layer " + l);
                assertArrayEquals(b.layer(l).outputShape(), a.layer(l).outputShape(), pair[0] + " layer " + l);
            }
        }
    }

    private static Network build(String spec) {
        return LayerSpec.parse(spec).build(new long[] {1, 8, 8}, 10, Activation.RELU, Activation.SOFTMAX,
                Initializer.XAVIER_NORMAL, true, Losses.byName("ce"), DataType.FLOAT, Nd4j.getRandomFactory().getNewRandomInstance(1));
    }
}
