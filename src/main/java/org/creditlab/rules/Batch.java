package org.creditlab.rules;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A minibatch.
 *
 * @param x      inputs, [B, ...] (flattened [B, D] for fully connected networks)
 * @param y      one-hot targets [B, C] (possibly shifted, e.g. onehot − 0.1)
 * @param labels class indices, length B
 */
public record Batch(INDArray x, INDArray y, int[] labels) {
    public int size() { return labels.length; }
}
