package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A parameter-free normalisation between a layer's linear op and its activation (batch norm without
 * affine, as in Boopathy & Fiete). It maps z to the pre-activation a and back-propagates errors.
 */
public interface Normalization {
    String id();

    /** a = norm(z); whatever backward needs is stored in the returned record. */
    Normalized forward(INDArray z);

    /** ∂L/∂z given ∂L/∂a and the record of the forward call. */
    INDArray backward(INDArray deltaA, Normalized record);

    /** The normalised output and the state its backward pass needs. */
    record Normalized(INDArray a, Object cache) { }
}
