package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A per-example loss L_b(ŷ_b, y_b); the training objective is its batch mean. Losses see both the output
 * layer's pre-activation a and its output h = φ(a), so that cross-entropy can work from logits.
 */
public interface Loss {
    String id();

    /** L_b for each row, shape [B], in the dtype of the inputs. */
    INDArray perExample(INDArray a, INDArray h, INDArray y);

    /** ∂(mean_b L_b)/∂a: the error at the output layer's pre-activation, including the 1/B. */
    INDArray outputDelta(Activation outputActivation, INDArray a, INDArray h, INDArray y);

    /** Whether this loss can sit on top of the given output activation. */
    default boolean supports(Activation outputActivation) { return true; }

    default double mean(INDArray a, INDArray h, INDArray y) {
        return perExample(a, h, y).meanNumber().doubleValue();
    }
}
