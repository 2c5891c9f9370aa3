package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The weight-only gradient of a single-channel, stride-1 convolution is formed as a forward convolution
 * (Conv2d.weightGradientByCorrelation); the gradient with the input gradient comes from libnd4j's conv2d_bp.
 * The two must agree, in double to round-off, for every padding rule, with and without an output buffer.
 */
class Conv2dWeightGradientTest {
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new long[] {1, 28, 28}, 6, 5, Conv2d.Padding.EXPLICIT, 2, 7),   // LeNet's first layer
                Arguments.of(new long[] {1, 9, 9}, 4, 3, Conv2d.Padding.SAME, 0, 3),
                Arguments.of(new long[] {1, 8, 8}, 3, 4, Conv2d.Padding.SAME, 0, 2),       // even kernel: SAME pads after
                Arguments.of(new long[] {1, 7, 10}, 5, 3, Conv2d.Padding.VALID, 0, 4),    // not square
                Arguments.of(new long[] {1, 6, 6}, 2, 5, Conv2d.Padding.EXPLICIT, 1, 1));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void correlationEqualsConv2dBp(long[] in, int channels, int k, Conv2d.Padding padding, int pad, int batch) {
        Conv2d conv = new Conv2d(in, channels, k, 1, padding, pad, 1.0);
        INDArray x = gaussian(1, batch, in[0], in[1], in[2]);
        long[] out = conv.outputShape();
        INDArray delta = gaussian(2, batch, out[0], out[1], out[2]);
        INDArray w = gaussian(3, conv.weightShape());
        INDArray viaBp = conv.backward(delta, x, w, true, null).weight();
        INDArray viaCorrelation = conv.weightGradient(delta, x);
        INDArray intoBuffer = conv.weightGradient(delta, x, Nd4j.createUninitialized(DataType.DOUBLE, conv.weightShape()));
        double scale = viaBp.norm2Number().doubleValue();
        assertTrue(viaBp.sub(viaCorrelation).norm2Number().doubleValue() < 1e-12 * scale, "correlation vs conv2d_bp");
        assertTrue(viaBp.sub(intoBuffer).norm2Number().doubleValue() < 1e-12 * scale, "into a reused buffer");
        // flat rows [B, C·H·W], as the datasets hand them over, give the same
        INDArray flat = x.reshape('c', batch, x.length() / batch);
        assertTrue(viaBp.sub(conv.weightGradient(delta, flat)).norm2Number().doubleValue() < 1e-12 * scale, "flat input");
    }

    private static INDArray gaussian(long seed, long... shape) {
        INDArray t = Nd4j.create(DataType.DOUBLE, shape);
        Nd4j.getExecutioner().exec(new GaussianDistribution(t, 0.0, 1.0), Nd4j.getRandomFactory().getNewRandomInstance(seed));
        return t;
    }
}
