package org.creditlab.nn;

import org.creditlab.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max or average pooling over k×k windows with stride s (default s = k), no padding, on NCHW activity, through
 * libnd4j's {@code maxpool2d}/{@code avgpool2d} ops and their {@code _bp} ops (oneDNN in the builds we ship).
 * Max pooling routes each window's error to its arg-max; average pooling spreads it evenly.
 */
public final class Pool2d implements PostOp {
    public enum Kind { MAX, AVG }

    private final Kind kind;
    private final int kernel;
    private final int stride;

    public Pool2d(Kind kind, int kernel, int stride) {
        if (kernel <= 0 || stride <= 0) throw new UserError("pooling needs a positive kernel and stride, got " + kernel + " and " + stride);
        this.kind = kind;
        this.kernel = kernel;
        this.stride = stride;
    }

    public Kind kind() { return kind; }
    public int kernel() { return kernel; }
    public int stride() { return stride; }

    @Override public String id() {
        return (kind == Kind.MAX ? "maxpool" : "avgpool") + kernel + (stride == kernel ? "" : "s" + stride);
    }

    @Override public long[] outputShape(long[] in) {
        if (in.length != 3) throw new UserError(id() + " needs image-shaped activity [C, H, W], got " + java.util.Arrays.toString(in));
        if (in[1] < kernel || in[2] < kernel) {
            throw new UserError(id() + " does not fit activity of shape " + java.util.Arrays.toString(in) + " (window " + kernel + "x" + kernel + ")");
        }
        return new long[] {in[0], (in[1] - kernel) / stride + 1, (in[2] - kernel) / stride + 1};
    }

    @Override public INDArray forward(INDArray input) {
        long[] o = outputShape(new long[] {input.size(1), input.size(2), input.size(3)});
        INDArray out = Nd4j.createUninitialized(input.dataType(), input.size(0), o[0], o[1], o[2]);
        Nd4j.exec(DynamicCustomOp.builder(kind == Kind.MAX ? "maxpool2d" : "avgpool2d").addInputs(input)
                .addOutputs(out).addIntegerArguments(args()).build());
        return out;
    }

    @Override public INDArray backward(INDArray gradOutput, INDArray input) {
        INDArray grad = Nd4j.createUninitialized(input.dataType(), input.shape());
        INDArray g = gradOutput.rank() == 4 ? gradOutput
                : gradOutput.reshape('c', outShapeWithBatch(input));
        Nd4j.exec(DynamicCustomOp.builder(kind == Kind.MAX ? "maxpool2d_bp" : "avgpool2d_bp").addInputs(input, g)
                .addOutputs(grad).addIntegerArguments(args()).build());
        return grad;
    }

    private long[] outShapeWithBatch(INDArray input) {
        long[] o = outputShape(new long[] {input.size(1), input.size(2), input.size(3)});
        return new long[] {input.size(0), o[0], o[1], o[2]};
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same mode (no), divisor rule (average over the window), NCHW. */
    private int[] args() {
        return new int[] {kernel, kernel, stride, stride, 0, 0, 1, 1, 0, 0, 0};
    }
}
