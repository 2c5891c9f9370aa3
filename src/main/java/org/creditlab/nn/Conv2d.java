package org.creditlab.nn;

import java.util.Arrays;
import org.creditlab.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D convolution over NCHW activity: z = s·conv(h, W) + b with a kernel W of shape [C_out, C_in, k, k]
 * (PyTorch's and DL4J's layout), bias [1, C_out] added per channel, stride S and padding SAME (TensorFlow's and
 * JAX's rule: output ⌈H/S⌉, the odd pixel of padding at the bottom/right), VALID or an explicit symmetric P. The
 * scale s is 1 in the standard parameterisation and 1/√(k²·C_in) in the NTK one (Boopathy &amp; Fiete).
 *
 * <p>The arithmetic is libnd4j's {@code conv2d} / {@code conv2d_bp} ops, which the oneDNN builds of libnd4j run
 * through oneDNN's JIT kernels (5–10× the generic build on this machine). {@code conv2d_bp} returns the input
 * gradient through the kernel it is given <em>and</em> the weight gradient at the input it is given, in one pass;
 * {@link #backward} hands both to a rule, so backprop and every feedback-alignment rule (B in place of W) cost
 * one op per layer. Flat inputs [B, C·H·W] (the datasets' rows) are viewed as [B, C, H, W].
 */
public final class Conv2d implements LinearOp {
    /** How the border is padded. */
    public enum Padding { SAME, VALID, EXPLICIT }

    private final long inChannels;
    private final long height;
    private final long width;
    private final long outChannels;
    private final int kernel;
    private final int stride;
    private final Padding padding;
    private final int pad;
    private final long outHeight;
    private final long outWidth;
    private final double scale;

    /**
     * @param inputShape [C_in, H, W] of one example
     * @param pad        the explicit padding (used only with {@link Padding#EXPLICIT})
     */
    public Conv2d(long[] inputShape, long outChannels, int kernel, int stride, Padding padding, int pad, double scale) {
        if (inputShape.length != 3) {
            throw new UserError("a convolution needs image-shaped input [C, H, W], got " + Arrays.toString(inputShape));
        }
        if (outChannels <= 0 || kernel <= 0 || stride <= 0 || pad < 0) {
            throw new UserError("convolution needs positive channels, kernel and stride and padding >= 0, got channels "
                    + outChannels + ", kernel " + kernel + ", stride " + stride + ", padding " + pad);
        }
        this.inChannels = inputShape[0];
        this.height = inputShape[1];
        this.width = inputShape[2];
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.pad = padding == Padding.EXPLICIT ? pad : 0;
        this.outHeight = outputSize(height);
        this.outWidth = outputSize(width);
        if (outHeight <= 0 || outWidth <= 0) {
            throw new UserError("a " + kernel + "x" + kernel + " kernel does not fit a " + height + "x" + width
                    + " input with " + describePadding() + " padding");
        }
        this.scale = scale;
    }

    private long outputSize(long in) {
        return switch (padding) {
            case SAME -> (in + stride - 1) / stride;
            case VALID -> in < kernel ? 0 : (in - kernel) / stride + 1;
            case EXPLICIT -> in + 2L * pad < kernel ? 0 : (in + 2L * pad - kernel) / stride + 1;
        };
    }

    public int kernel() { return kernel; }
    public int stride() { return stride; }
    public Padding padding() { return padding; }
    /** The explicit padding (0 unless {@link Padding#EXPLICIT}). */
    public int pad() { return pad; }
    public double scale() { return scale; }

    /** "same", "valid" or the explicit padding in pixels. */
    public String describePadding() {
        return padding == Padding.EXPLICIT ? "p" + pad : padding.name().toLowerCase();
    }

    @Override public String kind() { return "conv2d"; }
    @Override public long[] inputShape() { return new long[] {inChannels, height, width}; }
    @Override public long[] outputShape() { return new long[] {outChannels, outHeight, outWidth}; }
    @Override public long fanIn() { return inChannels * kernel * kernel; }
    @Override public long fanOut() { return outChannels * kernel * kernel; }
    @Override public long[] weightShape() { return new long[] {outChannels, inChannels, kernel, kernel}; }
    @Override public long[] biasShape() { return new long[] {1, outChannels}; }

    /** Output positions per example (H_out·W_out): each is one application of the kernel. */
    @Override public long positions() { return outHeight * outWidth; }

    @Override public INDArray forward(INDArray h, INDArray w, INDArray b) {
        INDArray x = image(h);
        INDArray z = Nd4j.createUninitialized(x.dataType(), x.size(0), outChannels, outHeight, outWidth);
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d");
        boolean fusedBias = b != null && scale == 1.0;
        if (fusedBias) op.addInputs(x, w, b.reshape(outChannels)); else op.addInputs(x, w);
        Nd4j.exec(op.addOutputs(z).addIntegerArguments(args()).build());
        if (scale != 1.0) z.muli(scale);
        if (b != null && !fusedBias) addBias(z, b);
        return z;
    }

    @Override public INDArray backwardInput(INDArray deltaZ, INDArray w, long[] inputShapeWithBatch) {
        // conv2d_bp needs an input to form its weight gradient; zeros of the input's shape serve when only the
        // input gradient is wanted and no input is at hand (Layer.propagate passes the real one to backward()).
        INDArray zeros = Nd4j.zeros(w.dataType(), inputShapeWithBatch.length == 4 ? inputShapeWithBatch
                : new long[] {inputShapeWithBatch[0], inChannels, height, width});
        return backward(deltaZ, zeros, w, true, null).input().reshape('c', inputShapeWithBatch);
    }

    @Override public INDArray weightGradient(INDArray deltaZ, INDArray h) {
        return backward(deltaZ, h, null, false, null).weight();
    }

    @Override public INDArray weightGradient(INDArray deltaZ, INDArray h, INDArray out) {
        return backward(deltaZ, h, null, false, out).weight();
    }

    /**
     * ∂L/∂h through {@code wForInput} (when {@code wantInput}) and ∂L/∂W at input {@code h}, from one
     * {@code conv2d_bp}. The weight gradient does not depend on the kernel, so the op is handed
     * {@code wForInput} (W or a feedback kernel) when the input gradient is wanted, else W's shape of zeros.
     */
    @Override public Backward backward(INDArray deltaZ, INDArray h, INDArray wForInput, boolean wantInput, INDArray weightOut) {
        INDArray x = image(h);
        INDArray dz = image4(deltaZ);
        if (scale != 1.0) dz = dz.mul(scale);
        if (!wantInput && inChannels == 1 && stride == 1) return new Backward(null, weightGradientByCorrelation(x, dz, weightOut));
        INDArray w = wantInput ? wForInput : Nd4j.zeros(x.dataType(), weightShape());
        INDArray gradI = Nd4j.createUninitialized(x.dataType(), x.shape());
        INDArray gradW = weightOut != null ? weightOut : Nd4j.createUninitialized(x.dataType(), weightShape());
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, dz).addOutputs(gradI, gradW)
                .addIntegerArguments(args()).build());
        INDArray input = wantInput ? (h.rank() == 4 ? gradI : gradI.reshape('c', h.shape())) : null;
        return new Backward(input, gradW);
    }

    /**
     * ∂L/∂W alone as one forward convolution: dW[o, c, i, j] = Σ_b Σ_{y,x} δ[b, o, y, x]·x_pad[b, c, y + i, x + j] is
     * the convolution of the padded input seen as [C, B, H, W] with δ seen as a [C_out, B, H_out, W_out] kernel.
     * {@code conv2d_bp} has no weights-only mode and its input gradient is the expensive half for a single input
     * channel (oneDNN's backward-data on C_in = 1: LeNet's first layer took 7–10 ms of CPU where this takes ~1 at
     * batch 100), so the first layer of a grey-scale network, whose input gradient no rule needs, goes this way.
     * Stride 1 only (a strided convolution would need a dilated kernel here, which oneDNN refused).
     *
     * <p>Symmetric padding is the op's own padding argument and δ goes in as its permuted view (libnd4j hands
     * oneDNN the strides, and oneDNN reorders the kernel into its own layout anyway): a zero-filled padded copy of
     * the input and a contiguous copy of δ cost 1.8–2.5 ms of LeNet's 2.5 here, the op alone 0.8–1.3 (same bits).
     * Only SAME with an even kernel pads one pixel more after than before, which the op's argument cannot say:
     * that case still pads a copy.
     */
    private INDArray weightGradientByCorrelation(INDArray x, INDArray dz, INDArray weightOut) {
        long b = x.size(0);
        int top = padBefore(height);
        int left = padBefore(width);
        long hp = (outHeight - 1) + kernel;
        long wp = (outWidth - 1) + kernel;
        INDArray input = x.reshape('c', 1, b, height, width);   // the batch as channels (C_in = 1)
        int padH = top;
        int padW = left;
        if (hp - height - top != top || wp - width - left != left) {
            INDArray padded = Nd4j.zeros(x.dataType(), 1, b, hp, wp);
            padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(top, top + height),
                    NDArrayIndex.interval(left, left + width)).assign(input);
            input = padded;
            padH = 0;
            padW = 0;
        }
        INDArray kernelFromDelta = dz.permute(1, 0, 2, 3);            // [C_out, B, H_out, W_out]
        INDArray out = weightOut != null ? weightOut : Nd4j.createUninitialized(x.dataType(), weightShape());
        // output [1, C_out, k, k] is W's [C_out, 1, k, k] memory
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(input, kernelFromDelta).addOutputs(out.reshape('c', 1, outChannels, kernel, kernel))
                .addIntegerArguments((int) outHeight, (int) outWidth, 1, 1, padH, padW, 1, 1, 0, 0, 1).build());
        return out;
    }

    /** Padding before the first row (or column): SAME puts the odd pixel after, as TensorFlow does. */
    private int padBefore(long in) {
        return switch (padding) {
            case SAME -> (int) (Math.max((outputSize(in) - 1) * stride + kernel - in, 0) / 2);
            case VALID -> 0;
            case EXPLICIT -> pad;
        };
    }

    @Override public INDArray biasGradient(INDArray deltaZ) {
        return image4(deltaZ).sum(0, 2, 3).reshape(1, outChannels);
    }

    /** libnd4j's integer arguments: kH, kW, sH, sW, pH, pW, dH, dW, same mode, NCHW, weights [oC, iC, kH, kW]. */
    private int[] args() {
        return new int[] {kernel, kernel, stride, stride, pad, pad, 1, 1, padding == Padding.SAME ? 1 : 0, 0, 1};
    }

    private INDArray image(INDArray h) {
        if (h.rank() == 4) return h;
        return h.reshape('c', h.size(0), inChannels, height, width);
    }

    private INDArray image4(INDArray deltaZ) {
        if (deltaZ.rank() == 4) return deltaZ;
        return deltaZ.reshape('c', deltaZ.size(0), outChannels, outHeight, outWidth);
    }

    private void addBias(INDArray z, INDArray b) {
        z.addi(b.reshape(1, outChannels, 1, 1).broadcast(z.shape()));
    }
}
