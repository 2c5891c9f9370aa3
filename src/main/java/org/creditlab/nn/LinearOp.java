package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameterised part of a layer: z = op(h; W) + b. Dense layers and convolutions implement it.
 * Every method that needs the weights takes them as an argument, so a learning rule can push an error
 * backwards through any tensor of W's shape (W itself for backprop, a feedback tensor for feedback
 * alignment) without re-implementing the operation.
 */
public interface LinearOp {
    /** "dense", "conv2d", ... */
    String kind();

    /** Shape of one input example (without the batch axis). */
    long[] inputShape();

    /** Shape of one output example (without the batch axis). */
    long[] outputShape();

    /** Number of inputs feeding one output unit (Dense: n_in; conv: c_in·k²). */
    long fanIn();

    /** Number of outputs one input unit feeds, as initialisers use it (Dense: n_out; conv: c_out·k²). */
    long fanOut();

    /**
     * How many times the op applies its weights per example: 1 for a dense layer, H_out·W_out for a convolution
     * (each output position is one application of the kernel). Rules that average an update per application
     * (PEPITA's conv update, Kunin's losses per sample) divide by it; it is 1 wherever that is the plain batch mean.
     */
    default long positions() { return 1; }

    /** Shape of the weight tensor. */
    long[] weightShape();

    /** z = op(h; w) + b; b may be null (no bias). Must be linear in h when b is null (rules rely on op(h + Δ) = op(h) + op(Δ)). */
    INDArray forward(INDArray h, INDArray w, INDArray b);

    /** ∂L/∂h given ∂L/∂z, pushed back through {@code w} (any tensor of the weight's shape). */
    INDArray backwardInput(INDArray deltaZ, INDArray w, long[] inputShapeWithBatch);

    /** ∂L/∂W given ∂L/∂z and the input h (summed over the batch). */
    INDArray weightGradient(INDArray deltaZ, INDArray h);

    /** The same, written into {@code out} (a row-major array of the weight's shape reused between steps). */
    default INDArray weightGradient(INDArray deltaZ, INDArray h, INDArray out) {
        return out.assign(weightGradient(deltaZ, h));
    }

    /**
     * Both backward products of a layer at once: ∂L/∂h pushed back through {@code wForInput} (only when
     * {@code wantInput}; null otherwise) and ∂L/∂W at the input {@code h} (written into {@code weightOut} when it
     * is not null: a row-major array of the weight's shape). Ops whose library computes the two in one pass
     * (convolutions) override this; the default makes the two calls.
     */
    default Backward backward(INDArray deltaZ, INDArray h, INDArray wForInput, boolean wantInput, INDArray weightOut) {
        INDArray dW = weightOut == null ? weightGradient(deltaZ, h) : weightGradient(deltaZ, h, weightOut);
        return new Backward(wantInput ? backwardInput(deltaZ, wForInput, h.shape()) : null, dW);
    }

    /**
     * ∂L/∂W at the input {@code h} left as an unformed product into {@code out} (see {@link ProductGradient}), or null
     * for ops whose gradient is not one matrix product (convolutions): callers then use {@link #backward}.
     */
    default ProductGradient weightGradientProduct(INDArray deltaZ, INDArray h, INDArray out) {
        return null;
    }

    /** ∂L/∂h (null when not asked for) and ∂L/∂W. */
    record Backward(INDArray input, INDArray weight) { }

    /** ∂L/∂b given ∂L/∂z, shaped like the bias. */
    INDArray biasGradient(INDArray deltaZ);

    /**
     * The same, written into {@code out} (a row-major array of the bias's shape reused between steps) by ops that
     * form it as a product; others return a new array and leave {@code out} alone.
     */
    default INDArray biasGradient(INDArray deltaZ, INDArray out) {
        return biasGradient(deltaZ);
    }

    /** Shape of the bias. */
    long[] biasShape();
}
