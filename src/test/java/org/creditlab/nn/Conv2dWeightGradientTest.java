package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conv2d's backward pieces against libnd4j's {@code conv2d_bp} with the same arguments: the weight-only gradient of a
 * single-channel stride-1 layer (a forward convolution, Conv2d.weightGradientByCorrelation), the input gradient alone
 * of a stride-1 layer ({@code deconv2d}), and both through {@link Conv2d#backward}, for every padding rule, one and
 * several input channels, with and without an output buffer: in double (libnd4j's generic ops) to round-off, and in
 * float (oneDNN's kernels, which read the permuted views through their strides) to float round-off.
 */
class Conv2dWeightGradientTest {
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new long[] {1, 28, 28}, 6, 5, Conv2d.Padding.EXPLICIT, 2, 7),   // LeNet's first layer
                Arguments.of(new long[] {6, 14, 14}, 16, 5, Conv2d.Padding.VALID, 0, 5),    // LeNet's second layer
                Arguments.of(new long[] {1, 9, 9}, 4, 3, Conv2d.Padding.SAME, 0, 3),
                Arguments.of(new long[] {1, 8, 8}, 3, 4, Conv2d.Padding.SAME, 0, 2),       // even kernel: SAME pads after
                Arguments.of(new long[] {3, 8, 8}, 2, 4, Conv2d.Padding.SAME, 0, 2),
                Arguments.of(new long[] {2, 9, 9}, 4, 3, Conv2d.Padding.SAME, 0, 3),
                Arguments.of(new long[] {1, 7, 10}, 5, 3, Conv2d.Padding.VALID, 0, 4),    // not square
                Arguments.of(new long[] {3, 7, 10}, 5, 3, Conv2d.Padding.EXPLICIT, 1, 4),
                Arguments.of(new long[] {1, 6, 6}, 2, 5, Conv2d.Padding.EXPLICIT, 1, 1));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void piecesEqualConv2dBpInDouble(long[] in, int channels, int k, Conv2d.Padding padding, int pad, int batch) {
        check(DataType.DOUBLE, 1e-12, in, channels, k, padding, pad, batch);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void piecesEqualConv2dBpInFloat(long[] in, int channels, int k, Conv2d.Padding padding, int pad, int batch) {
        check(DataType.FLOAT, 1e-5, in, channels, k, padding, pad, batch);
    }

    private static void check(DataType type, double tol, long[] in, int channels, int k, Conv2d.Padding padding, int pad,
                              int batch) {
        Conv2d conv = new Conv2d(in, channels, k, 1, padding, pad, 1.0);
        INDArray x = gaussian(type, 1, batch, in[0], in[1], in[2]);
        long[] out = conv.outputShape();
        INDArray delta = gaussian(type, 2, batch, out[0], out[1], out[2]);
        INDArray w = gaussian(type, 3, conv.weightShape());
        INDArray[] reference = conv2dBp(conv, x, w, delta);
        LinearOp.Backward both = conv.backward(delta, x, w, true, null);
        assertClose(reference[1], both.weight(), tol, "weight gradient with the input gradient");
        assertClose(reference[0], both.input(), tol, "input gradient");
        assertClose(reference[0], conv.backwardInput(delta, w, x.shape()), tol, "input gradient alone");
        assertClose(reference[1], conv.weightGradient(delta, x), tol, "weight gradient alone");
        assertClose(reference[1], conv.weightGradient(delta, x, Nd4j.createUninitialized(type, conv.weightShape())), tol,
                "into a reused buffer");
        // flat rows [B, C·H·W], as the datasets hand them over, give the same
        INDArray flat = x.reshape('c', batch, x.length() / batch);
        assertClose(reference[1], conv.weightGradient(delta, flat), tol, "flat input");
    }

    /** libnd4j's conv2d_bp with Conv2d's own arguments (kH, kW, sH, sW, pH, pW, dH, dW, same mode, NCHW, [oC, iC, kH, kW]). */
    private static INDArray[] conv2dBp(Conv2d conv, INDArray x, INDArray w, INDArray delta) {
        INDArray gradI = Nd4j.createUninitialized(x.dataType(), x.shape());
        INDArray gradW = Nd4j.createUninitialized(x.dataType(), w.shape());
        int p = conv.pad();
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, delta).addOutputs(gradI, gradW)
                .addIntegerArguments(conv.kernel(), conv.kernel(), 1, 1, p, p, 1, 1,
                        conv.padding() == Conv2d.Padding.SAME ? 1 : 0, 0, 1).build());
        return new INDArray[] {gradI, gradW};
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        double scale = expected.norm2Number().doubleValue();
        double err = expected.sub(actual.reshape(expected.shape())).norm2Number().doubleValue();
        assertTrue(err < tol * scale, what + ": relative error " + err / scale);
    }

    private static INDArray gaussian(DataType type, long seed, long... shape) {
        INDArray t = Nd4j.create(type, shape);
        Nd4j.getExecutioner().exec(new GaussianDistribution(t, 0.0, 1.0), Nd4j.getRandomFactory().getNewRandomInstance(seed));
        return t;
    }
}
