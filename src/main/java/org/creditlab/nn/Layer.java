package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer l of a network: z_l = op(h_{l-1}; W_l) + b_l, a_l = norm(z_l) (+ noise), h_l = φ(a_l)
 * (× dropout mask). The weights live here; the maths of the op lives in its {@link LinearOp}, so
 * learning rules compose {@link #propagate}, {@link #toPreActivation} and {@link #gradients}
 * without knowing whether the op is dense or convolutional.
 */
public final class Layer {
    private final LinearOp op;
    private final Normalization norm;
    private final Activation activation;
    private final Initializer initializer;
    private INDArray weight;
    private INDArray bias;

    public Layer(LinearOp op, Normalization norm, Activation activation, Initializer initializer,
                 INDArray weight, INDArray bias) {
        this.op = op;
        this.norm = norm;
        this.activation = activation;
        this.initializer = initializer;
        this.weight = weight;
        this.bias = bias;
    }

    public LinearOp op() { return op; }
    public Normalization norm() { return norm; }
    public Activation activation() { return activation; }
    public Initializer initializer() { return initializer; }
    public INDArray weight() { return weight; }
    /** The bias, or null for a layer without one (PEPITA). */
    public INDArray bias() { return bias; }
    public boolean hasBias() { return bias != null; }

    /** z = op(h; W) + b. */
    public INDArray linear(INDArray hPrev) {
        return op.forward(hPrev, weight, bias);
    }

    /**
     * ∂L/∂a_l given ∂L/∂h_l: through the dropout mask (if any) and the activation's VJP at a_l.
     */
    public INDArray toPreActivation(LayerRecord r, INDArray gradH) {
        INDArray g = r.dropoutMask() == null ? gradH : gradH.mul(r.dropoutMask());
        return activation.backward(r.a(), r.hBeforeDropout(), g);
    }

    /** ∂L/∂z_l given ∂L/∂a_l (identity without normalisation). */
    public INDArray toLinearOutput(LayerRecord r, INDArray deltaA) {
        return norm == null ? deltaA : norm.backward(deltaA, r.normRecord());
    }

    /** ∂L/∂h_{l-1} given ∂L/∂z_l, pushed back through {@code w} (W_l for backprop, a feedback tensor otherwise). */
    public INDArray propagate(INDArray deltaZ, INDArray w, LayerRecord r) {
        return op.backwardInput(deltaZ, w, r.input().shape());
    }

    /** Gradients (dW, db) of the batch loss given ∂L/∂z_l and the presynaptic activity used in the update. */
    public Gradient gradients(INDArray deltaZ, INDArray presynaptic) {
        return withBiasGradient(op.weightGradient(deltaZ, presynaptic), deltaZ);
    }

    /**
     * The same gradients with the weight gradient written into the buffer of {@code scratch} under {@code key}
     * (the bias gradient is small and freshly allocated): for rules whose step is dominated by allocating a
     * fresh weight-sized array, such as online (batch 1) learning. dW stays valid until the next call with the
     * same key.
     */
    public Gradient gradients(INDArray deltaZ, INDArray presynaptic, Scratch scratch, String key) {
        INDArray out = scratch.get(key, weight.dataType(), weight.shape(), 'c');
        return withBiasGradient(op.weightGradient(deltaZ, presynaptic, out), deltaZ);
    }

    private Gradient withBiasGradient(INDArray dW, INDArray deltaZ) {
        return new Gradient(dW, bias == null ? null : op.biasGradient(deltaZ));
    }

    /** A layer of the same shape whose parameters are copies (or casts) of this one's. */
    Layer copy(org.nd4j.linalg.api.buffer.DataType dtype) {
        return new Layer(op, norm, activation, initializer, weight.castTo(dtype).dup(),
                bias == null ? null : bias.castTo(dtype).dup());
    }

    /** dW and db (db null when the layer has no bias). */
    public record Gradient(INDArray dW, INDArray db) { }
}
