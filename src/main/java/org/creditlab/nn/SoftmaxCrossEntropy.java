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

    @Override public INDArray outputDelta(Activation act, INDArray a, INDArray h, INDArray y) {
        return h.sub(y).divi(h.size(0));
    }
}
