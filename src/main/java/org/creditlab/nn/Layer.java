package org.creditlab.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer l of a network: z_l = op(h_{l-1}; W_l) + b_l, a_l = norm(z_l) (+ noise), h_l = post(φ(a_l))
 * (× dropout mask), where post is the layer's pooling, if any ({@link PostOp}s). The weights live here; the
 * maths of the op lives in its {@link LinearOp}, so learning rules compose {@link #propagate},
 * {@link #toPreActivation} and {@link #gradients} without knowing whether the op is dense or convolutional,
 * or whether the layer pools.
 */
public final class Layer {
    private final LinearOp op;
    private final Normalization norm;
    private final Activation activation;
    private final Initializer initializer;
    private final List<PostOp> post;
    private INDArray weight;
    private INDArray bias;

    public Layer(LinearOp op, Normalization norm, Activation activation, Initializer initializer,
                 INDArray weight, INDArray bias) {
        this(op, norm, activation, initializer, List.of(), weight, bias);
    }

    public Layer(LinearOp op, Normalization norm, Activation activation, Initializer initializer, List<PostOp> post,
                 INDArray weight, INDArray bias) {
        this.op = op;
        this.norm = norm;
        this.activation = activation;
        this.initializer = initializer;
        this.post = List.copyOf(post);
        this.weight = weight;
        this.bias = bias;
    }

    public LinearOp op() { return op; }
    public Normalization norm() { return norm; }
    public Activation activation() { return activation; }
    public Initializer initializer() { return initializer; }
    /** The parameter-free maps after φ (pooling), in order; empty for most layers. */
    public List<PostOp> post() { return post; }

    /** One example's output shape h_l: the op's output shape after the pooling. */
    public long[] outputShape() {
        return shapeAfter(op, post);
    }

    /** The output shape of {@code op} followed by {@code post} (also for a layer still being assembled). */
    static long[] shapeAfter(LinearOp op, List<PostOp> post) {
        long[] s = op.outputShape();
        for (PostOp p : post) s = p.outputShape(s);
        return s;
    }

    /** h_l = post(φ), with the input of every post op recorded into {@code postInputs}. */
    INDArray applyPost(INDArray phi, List<INDArray> postInputs) {
        INDArray h = phi;
        for (PostOp p : post) {
            postInputs.add(h);
            h = p.forward(h);
        }
        return h;
    }
    public INDArray weight() { return weight; }
    /** The bias, or null for a layer without one (PEPITA). */
    public INDArray bias() { return bias; }
    public boolean hasBias() { return bias != null; }

    /** z = op(h; W) + b. */
    public INDArray linear(INDArray hPrev) {
        return op.forward(hPrev, weight, bias);
    }

    /**
     * ∂L/∂a_l given ∂L/∂h_l: through the dropout mask (if any), the pooling (if any) and the activation's VJP at a_l.
     */
    public INDArray toPreActivation(LayerRecord r, INDArray gradH) {
        INDArray g = gradH.rank() == r.h().rank() ? gradH : gradH.reshape('c', r.h().shape());
        if (r.dropoutMask() != null) g = g.mul(r.dropoutMask());
        for (int i = post.size() - 1; i >= 0; i--) g = post.get(i).backward(g, r.postInputs().get(i));
        return throughActivation(r, g);
    }

    /**
     * ∂L/∂a_l given ∂L/∂φ(a_l), the error at the activity before pooling and dropout: DFA's projections land
     * there, at the op's output resolution.
     */
    public INDArray throughActivation(LayerRecord r, INDArray gradPhi) {
        INDArray g = gradPhi.rank() == r.a().rank() ? gradPhi : gradPhi.reshape('c', r.a().shape());
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

    /**
     * The backward step of error-propagation rules in one call: the gradients (dW at the layer's recorded input,
     * written into {@code scratch} under {@code key}, or for a dense layer left as the product that writes it there;
     * db) and, when {@code wForInput} is not null, ∂L/∂h_{l-1} pushed back through it. Convolutions form both in one
     * library op.
     */
    public Step backwardStep(INDArray deltaZ, LayerRecord r, INDArray wForInput, Scratch scratch, String key) {
        ProductGradient product = weightProduct(deltaZ, r.input(), scratch, key);
        if (product != null) {
            INDArray input = wForInput == null ? null : op.backwardInput(deltaZ, wForInput, r.input().shape());
            return new Step(withBiasGradient(null, deltaZ, scratch, key), product, input);
        }
        INDArray out = scratch.get(key, weight.dataType(), weight.shape(), 'c');
        LinearOp.Backward b = op.backward(deltaZ, r.input(), wForInput, wForInput != null, out);
        return new Step(withBiasGradient(b.weight(), deltaZ, scratch, key), null, b.input());
    }

    /**
     * The gradients of {@link #gradients(INDArray, INDArray, Scratch, String)}, with a dense layer's dW left as the
     * product that forms it into the same buffer (as {@link #backwardStep} does; no input error): for rules that
     * form their updates as products of their own (node perturbation, PEPITA).
     */
    public Step gradientsAsProduct(INDArray deltaZ, INDArray presynaptic, Scratch scratch, String key) {
        ProductGradient product = weightProduct(deltaZ, presynaptic, scratch, key);
        if (product == null) return new Step(gradients(deltaZ, presynaptic, scratch, key), null, null);
        return new Step(withBiasGradient(null, deltaZ, scratch, key), product, null);
    }

    /**
     * The op's weight gradient as an unformed product into {@code scratch}'s buffer under {@code key}, or null when it is
     * no single product. Its factors outlive the step's memory block (the optimizer applies the product after it), so
     * they are copied into buffers reused from step to step, as the formed gradient would have been.
     */
    private ProductGradient weightProduct(INDArray deltaZ, INDArray presynaptic, Scratch scratch, String key) {
        INDArray out = scratch.get(key, weight.dataType(), weight.shape(), 'c');
        ProductGradient p = op.weightGradientProduct(deltaZ, presynaptic, out);
        return p == null ? null : new ProductGradient(outside(p.a(), scratch, key + "/a"), outside(p.b(), scratch, key + "/b"),
                p.transposeA(), p.transposeB(), p.alpha(), out);
    }

    /** {@code a} itself when it lives outside a step's memory block, else a copy in {@code scratch}'s buffer under {@code key}. */
    private static INDArray outside(INDArray a, Scratch scratch, String key) {
        if (!a.isAttached()) return a;
        INDArray copy = scratch.get(key, a.dataType(), a.shape(), 'c');
        return copy.assign(a);
    }

    /**
     * A layer's gradients and the error at its input (null when not asked for). Where the op's weight gradient is one
     * matrix product it is left unformed: {@code weightProduct} is set and the gradient's dW is null.
     */
    public record Step(Gradient gradient, ProductGradient weightProduct, INDArray inputError) { }

    /** Gradients (dW, db) of the batch loss given ∂L/∂z_l and the presynaptic activity used in the update. */
    public Gradient gradients(INDArray deltaZ, INDArray presynaptic) {
        return withBiasGradient(op.weightGradient(deltaZ, presynaptic), deltaZ);
    }

    /**
     * The same gradients with the weight gradient written into the buffer of {@code scratch} under {@code key}
     * (and the bias gradient, where the op forms it as a product, into one next to it): for rules whose step is
     * dominated by allocating a fresh weight-sized array, such as online (batch 1) learning. dW and db stay valid
     * until the next call with the same key.
     */
    public Gradient gradients(INDArray deltaZ, INDArray presynaptic, Scratch scratch, String key) {
        INDArray out = scratch.get(key, weight.dataType(), weight.shape(), 'c');
        return withBiasGradient(op.weightGradient(deltaZ, presynaptic, out), deltaZ, scratch, key);
    }

    private Gradient withBiasGradient(INDArray dW, INDArray deltaZ) {
        return new Gradient(dW, bias == null ? null : op.biasGradient(deltaZ));
    }

    /** db written into the buffer of {@code scratch} next to dW's (valid as long as dW is), where the op can. */
    private Gradient withBiasGradient(INDArray dW, INDArray deltaZ, Scratch scratch, String key) {
        if (bias == null) return new Gradient(dW, null);
        return new Gradient(dW, op.biasGradient(deltaZ, scratch.get(key + "/bias", bias.dataType(), bias.shape(), 'c')));
    }

    /** A layer of the same shape whose parameters are copies (or casts) of this one's. */
    Layer copy(org.nd4j.linalg.api.buffer.DataType dtype) {
        return new Layer(op, norm, activation, initializer, post, weight.castTo(dtype).dup(),
                bias == null ? null : bias.castTo(dtype).dup());
    }

    /** dW and db (db null when the layer has no bias). */
    public record Gradient(INDArray dW, INDArray db) { }
}
