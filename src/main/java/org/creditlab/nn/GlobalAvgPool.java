package org.creditlab.nn;

import org.creditlab.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Global average pooling: [B, C, H, W] → [B, C], the mean over each channel's positions (the readout of
 * Boopathy &amp; Fiete's NTK CNN). Backward spreads each channel's error evenly, ÷(H·W).
 */
public final class GlobalAvgPool implements PostOp {
    @Override public String id() { return "gap"; }

    @Override public long[] outputShape(long[] in) {
        if (in.length != 3) throw new UserError("gap needs image-shaped activity [C, H, W], got " + java.util.Arrays.toString(in));
        return new long[] {in[0]};
    }

    @Override public INDArray forward(INDArray input) {
        return input.mean(2, 3);
    }

    @Override public INDArray backward(INDArray gradOutput, INDArray input) {
        long positions = input.size(2) * input.size(3);
        INDArray g = gradOutput.reshape('c', input.size(0), input.size(1), 1, 1).div(positions);
        return g.broadcast(input.shape()).dup('c');
    }
}
