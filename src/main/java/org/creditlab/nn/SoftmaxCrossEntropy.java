package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * L_b = −Σ_c y_c log softmax(a)_c, computed from the logits a with the log-sum-exp shift so it never
 * takes log(0). Requires a softmax output layer; its error at the logits is (softmax(a) − y)/B.
 */
public final class SoftmaxCrossEntropy implements Loss {
    @Override public String id() { return "ce"; }

    @Override public boolean supports(Activation act) { return act == Activation.SOFTMAX; }

    @Override public INDArray perExample(INDArray a, INDArray h, INDArray y) {
        INDArray max = a.max(true, 1);
        INDArray shifted = a.subColumnVector(max);
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        INDArray logProb = shifted.subiColumnVector(logSumExp);
        return logProb.muli(y).sum(1).negi();
    }

    /**
     * The batch mean in double, in a Java loop over the [B, C] logits: the loss is reported every step, and the
     * chain of eight ND4J ops in {@link #perExample} cost about 0.5 ms, 4% of a backprop step on fc 1024.
     */
    @Override public double mean(INDArray a, INDArray h, INDArray y) {
        double[][] logits = Rows.asDoubles(a);
        double[][] targets = Rows.asDoubles(y);
        double total = 0;
        for (int b = 0; b < logits.length; b++) {
            double[] row = logits[b];
            double logZ = logSumExp(row);
            for (int c = 0; c < row.length; c++) total += targets[b][c] * (logZ - row[c]);
        }
        return total / logits.length;
    }

    /** log Σ exp(a_c), shifted by the row's maximum so that no exp overflows. */
    public static double logSumExp(double[] a) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) max = Math.max(max, v);
        double z = 0;
        for (double v : a) z += Math.exp(v - max);
        return max + Math.log(z);
    }

    /** (h − y)/B in one Java loop ({@link Rows#differenceOver}), bit for bit ND4J's two ops and cheaper on [B, C]. */
    @Override public INDArray outputDelta(Activation act, INDArray a, INDArray h, INDArray y) {
        return Rows.differenceOver(h, y, h.size(0));
    }
}
