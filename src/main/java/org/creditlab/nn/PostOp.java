package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A parameter-free map applied to a layer's activity after its nonlinearity (pooling, global average pooling):
 * h_l = post(φ(a_l)). It belongs to the layer it follows, so that a network stays a chain of parameterised
 * layers (the unit every learning rule indexes) and {@link Layer#toPreActivation} carries an error back through
 * it: rules never see pooling.
 */
public interface PostOp {
    /** The layer-spec element that builds it, e.g. "maxpool2", "gap". */
    String id();

    /** One example's output shape for an input of shape {@code inputShape} (without the batch axis). */
    long[] outputShape(long[] inputShape);

    /** The output for a batch [B, ...]. */
    INDArray forward(INDArray input);

    /** ∂L/∂input given ∂L/∂output and the input of the forward call. */
    INDArray backward(INDArray gradOutput, INDArray input);
}
