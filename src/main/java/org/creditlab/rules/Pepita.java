package org.creditlab.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.creditlab.nn.ForwardOptions;
import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.Layer;
import org.creditlab.nn.MatMul;
import org.creditlab.nn.Network;
import org.creditlab.nn.Scratch;
import org.creditlab.nn.StepMemory;
import org.creditlab.nn.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PEPITA, "Present the Error to Perturb the Input To modulate Activity" (Dellaferrera &amp; Kreiman, ICML
 * 2022), rules.md §4.1, with the Srinivasan et al. 2023 extensions of §4.2 as options:
 * <ol>
 *   <li>clean pass with inverted dropout (keep 0.9) on the hidden layers, recording the masks;
 *       e = ŷ − y (softmax output, so e is the cross-entropy error at the logits);</li>
 *   <li>modulated input x_mod = x + F e, with a fixed F ∈ R^{d×C}, F_ij ~ 0.05·U(±√(6/d)) (stored as
 *       rule state "F" of shape [d, C]; row-major, x_mod = x + e Fᵀ);</li>
 *   <li>modulated pass on x_mod with the <em>same</em> dropout masks, giving h_l^mod and e^mod;</li>
 *   <li>hidden layers ΔW_l = (h_l − h_l^mod) ⊗ h_{l-1}^mod (h_0^mod = x_mod), output
 *       ΔW_L = e^mod ⊗ h_{L-1}^mod, each averaged over the batch (÷B).</li>
 * </ol>
 * On a convolution (the conv code's {@code compute_delta_w_conv}) ΔW is the outer product of (h − h^mod) at each
 * output position with the modulated input patch there, averaged over positions and batch; h is the layer's
 * activity before pooling, and the next layer's presynaptic term is the pooled modulated activity. (The
 * reference conv script then divides by the batch size a second time; we keep the plain average, so its lr
 * for conv layers corresponds to ours ÷ B.)
 * ΔW is in gradient sign convention (W ← W − η ΔW); with the momentum optimizer (v ← μv + ηΔW, W ← W − v)
 * this is the reference code's "mom" update. No biases by default; if the network has biases they receive
 * the batch mean of the same deltas.
 *
 * <p>Options:
 * <ul>
 *   <li>{@code f_scale} (0.05): the scale of F (the conv code's {@code --Bstd}).</li>
 *   <li>{@code keep} (0.9): dropout keep probability of the hidden layers in both passes (1 = none).</li>
 *   <li>{@code sign} = plus (default, the original x + Fe) | minus (Srinivasan et al.'s x − Fe).</li>
 *   <li>{@code output_error} = modulated (default, the original e^mod) | clean (pepita2 uses the first-pass e).</li>
 *   <li>{@code activation_norm} (false): Srinivasan et al.'s normalisation, each hidden layer's output
 *       divided by the Frobenius norm of the batch activation matrix, in both passes.</li>
 *   <li>{@code mirror_every} (0 = off): every so many steps, weight-mirror F (Akrout et al. 2019 as used
 *       by Srinivasan et al.): x_n = a·N(0,1) [N, d] mean-centred, y = x_n W_1 ⋯ W_L (the current linear
 *       maps), F ← F + η_m (s·x_nᵀ y/N − λ_m F), then F is rescaled to its initial std f_scale·√(2/d).
 *       s = −1 with sign plus and +1 with sign minus, so that mirroring pushes F towards the alignment
 *       PEPITA's own learning produces (the forward product aligns with −F for x + Fe).
 *       {@code mirror_lr} η_m (0.1), {@code mirror_wd} λ_m (0.5), {@code mirror_noise} a (0.1) and
 *       {@code mirror_batch} N (64) are Srinivasan et al.'s defaults (batch size as in training). On a network
 *       that is not a stack of dense maps (convolutions, pooling) y is the noise's pass through the whole
 *       network (the output layer's pre-activation), as pepita2 mirrors through each layer's nonlinearity.</li>
 * </ul>
 * Diagnostics: "pepita.f_angle", the angle in degrees between vec(F) and vec(W_1 W_2 ⋯ W_L) (the input→
 * output map in row form, shape [d, C]; the reference's angle between F and (W_L⋯W_1)ᵀ), which moves
 * above 90° with sign plus; and "pepita.w1_norm", ‖W_1‖_F. From the last step: "pepita.mod_cos", the cosine between
 * the modulated pass's change of the output pre-activation and −e over the batch (positive: the modulated pass moves
 * the output towards the target, the regime in which the hidden updates descend the loss; it rises quickly on fc
 * networks), "pepita.mod_gain" = ‖Δz_L‖/‖e‖; and per layer l "pepita.layer<l>.w_norm" ‖W_l‖_F,
 * "pepita.layer<l>.dw_norm" ‖ΔW_l‖_F and (hidden layers) "pepita.layer<l>.rel_mod" ‖h_l − h_l^mod‖/‖h_l‖, whose fall
 * with steady weight norms shows activity growing relative to the modulation.
 */
public final class Pepita implements LearningRule {
    public static final String F = "F";

    private final double fScale;
    private final double keep;
    /** The weight gradients, reused from step to step (valid until the next compute, as the contract allows). */
    private final Scratch gradientBuffers = new Scratch();
    private final double sign;
    private final boolean cleanOutputError;
    private final boolean activationNorm;
    private final int mirrorEvery;
    private final double mirrorLr;
    private final double mirrorWd;
    private final double mirrorNoise;
    private final int mirrorBatch;
    /**
     * The last step's numbers for {@link #diagnostics} (not checkpointed), computed only on steps whose diagnostics
     * the caller will ask for ({@link StepContext#measured}): each is a reduction over a step-sized array, some ten
     * extra ops per step that most steps never log.
     */
    private Map<String, Double> lastStep = Map.of();
    /** The memory of the step's two passes, reused from step to step. */
    private final StepMemory memory = new StepMemory("pepita");

    /** The options (see the class comment); {@link RuleOptions} checks given values against them. */
    public static final java.util.List<RuleOption> OPTIONS = java.util.List.of(
            RuleOption.number("f_scale", 0.05, "scale of the fixed projection F of the error onto the input"),
            RuleOption.number("keep", 0.9, "dropout keep probability of the hidden layers in both passes (1 = no dropout)").positiveAtMost(1),
            RuleOption.choice("sign", "modulated input x + Fe (the original) or x - Fe (Srinivasan et al.)", "plus", "minus"),
            RuleOption.choice("output_error", "output layer's error: from the modulated pass (original) or the clean one (pepita2)", "modulated", "clean"),
            RuleOption.bool("activation_norm", false, "divide each hidden layer's output by the Frobenius norm of the batch's activations"),
            RuleOption.integer("mirror_every", 0, "weight-mirror F every N steps (0 = never)").nonNegative(),
            RuleOption.number("mirror_lr", 0.1, "learning rate of the F mirroring"),
            RuleOption.number("mirror_wd", 0.5, "weight decay of the F mirroring"),
            RuleOption.number("mirror_noise", 0.1, "std of the mirroring's noise input"),
            RuleOption.integer("mirror_batch", 64, "examples per mirroring step").positive());

    public Pepita(RuleOptions o) {
        this.fScale = o.getDouble("f_scale");
        this.keep = o.getDouble("keep");
        this.sign = o.getString("sign").equals("plus") ? 1.0 : -1.0;
        this.cleanOutputError = o.getString("output_error").equals("clean");
        this.activationNorm = o.getBoolean("activation_norm");
        this.mirrorEvery = o.getInt("mirror_every");
        this.mirrorLr = o.getDouble("mirror_lr");
        this.mirrorWd = o.getDouble("mirror_wd");
        this.mirrorNoise = o.getDouble("mirror_noise");
        this.mirrorBatch = o.getInt("mirror_batch");
    }

    @Override public String name() { return "pepita"; }

    @Override public RuleState init(Network network, Random rng) {
        long d = inputSize(network);
        long c = outputSize(network);
        INDArray f = Nd4j.create(network.dataType(), d, c);
        double limit = Math.sqrt(6.0 / d);
        Nd4j.getExecutioner().exec(new UniformDistribution(f, -limit, limit), rng);
        return RuleState.empty().put(F, f.muli(fScale));
    }

    /** Both passes run in {@link StepMemory}; F and the weight gradients live outside it. */
    @Override public Updates compute(Network net, Batch batch, RuleState state, StepContext context) {
        return memory.run(() -> step(net, batch, state, context).kept());
    }

    private Updates step(Network net, Batch batch, RuleState state, StepContext context) {
        INDArray x = batch.x();
        INDArray y = batch.y().castTo(net.dataType());
        long b = x.size(0);
        ForwardOptions base = activationNorm ? ForwardOptions.PLAIN.withHiddenOutput(Pepita::frobeniusNormalize)
                : ForwardOptions.PLAIN;
        ForwardPass clean = net.forward(x, keep < 1.0 ? base.withDropout(keep, context.dropout()) : base);
        INDArray e = clean.output().sub(y);

        INDArray f = state.get(F);
        INDArray shift = MatMul.product(e, f, false, true);                       // [B, d] rows (F e_b)ᵀ
        if (sign < 0) shift.negi();
        INDArray xMod = x.rank() == 2 ? x.add(shift) : x.add(shift.reshape('c', x.shape()));
        INDArray z0Mod = clean.layer(0).z().add(modulationOfFirstLinear(net.layer(0), f, e, x.shape()));
        ForwardPass mod = net.forward(xMod, base.reusingMasks(clean.dropoutMasks()).withFirstLinearOutput(z0Mod));
        INDArray eOut = cleanOutputError ? e : mod.output().sub(y);

        Updates updates = new Updates().loss(ErrorPropagation.loss(net, clean, y));
        int last = net.depth() - 1;
        Map<String, Double> measured = context.measured() ? outputDiagnostics(mod.layer(last).a().sub(clean.layer(last).a()), e) : null;
        for (int l = 0; l <= last; l++) {
            Layer layer = net.layer(l);
            // the mean over the batch (and, for a convolution, over its output positions: PEPITA's conv code) goes on
            // the error, not on the weight-sized products; a conv layer compares its activity before pooling
            double mean = (double) b * layer.op().positions();
            INDArray delta = l == last ? eOut.div(mean) : clean.layer(l).unpooled().sub(mod.layer(l).unpooled()).divi(mean);
            // a dense layer's update is the product mod.input(l)ᵀ·delta: left unformed, plain SGD applies it inside it
            updates.putGradients(l, layer.gradientsAsProduct(delta, mod.input(l), gradientBuffers, Param.weightName(l)));
            if (measured != null) {
                measured.put("pepita.layer" + l + ".dw_norm", updates.get(Param.weightName(l)).norm2Number().doubleValue());
                if (l < last) {
                    double h = clean.layer(l).unpooled().norm2Number().doubleValue();
                    measured.put("pepita.layer" + l + ".rel_mod", h > 0 ? delta.norm2Number().doubleValue() * mean / h : 0.0);
                }
            }
        }
        lastStep = measured != null ? measured : Map.of();
        return updates;
    }

    /**
     * mod_cos: the cosine between the modulated pass's change dz of the output pre-activation and −e (positive when
     * x + Fe moves the output towards the target, the regime in which the hidden updates descend the loss);
     * mod_gain: ‖dz‖/‖e‖. The step's loop adds per layer the update's norm and, for hidden layers, rel_mod =
     * ‖h − h_mod‖/‖h‖ (activity growing relative to its modulation).
     */
    private static Map<String, Double> outputDiagnostics(INDArray dz, INDArray e) {
        Map<String, Double> d = new LinkedHashMap<>();
        double dzNorm = dz.norm2Number().doubleValue(), eNorm = e.norm2Number().doubleValue();
        d.put("pepita.mod_cos", dzNorm * eNorm > 0 ? -dz.mul(e).sumNumber().doubleValue() / (dzNorm * eNorm) : 0.0);
        d.put("pepita.mod_gain", eNorm > 0 ? dzNorm / eNorm : 0.0);
        return d;
    }

    /**
     * op(±e Fᵀ; W_0) without bias, the change of the first layer's linear output between the clean and the
     * modulated pass. The op is linear in its input, so op(e Fᵀ) = e · op(Fᵀ): the C columns of F go through
     * the layer once ([C, d] × [d, n], C = classes) instead of the B shifted inputs ([B, d] × [d, n]), which
     * takes the modulated pass's largest product off the step (z_0 of x + F e equals z_0(x) + this up to
     * float rounding).
     */
    private INDArray modulationOfFirstLinear(Layer first, INDArray f, INDArray e, long[] inputShape) {
        long classes = f.size(1);
        INDArray columns = f.transpose().dup('c');                           // [C, d]: column c of F as an input
        if (inputShape.length > 2) {
            long[] asInputs = inputShape.clone();
            asInputs[0] = classes;
            columns = columns.reshape('c', asInputs);
        }
        INDArray basis = first.op().forward(columns, first.weight(), null);  // [C, n...]
        INDArray flat = basis.reshape('c', classes, basis.length() / classes);
        INDArray change = MatMul.product(e, flat, false, false, sign);        // [B, n]
        long[] zShape = basis.shape().clone();
        zShape[0] = e.size(0);
        return zShape.length == 2 ? change : change.reshape('c', zShape);
    }

    /**
     * With activation normalisation the network's neurons always normalise (Srinivasan et al. evaluate the
     * same forward), so evaluation re-runs the pass with it; otherwise the evaluator's plain pass is used.
     */
    @Override public INDArray predict(Network network, ForwardPass plainPass, INDArray x, RuleState state) {
        if (!activationNorm) return plainPass.output();
        return network.forward(x, ForwardOptions.PLAIN.withHiddenOutput(Pepita::frobeniusNormalize)).output();
    }

    /** h / ‖h‖_F over the whole batch matrix (Srinivasan et al.'s activation normalisation). */
    static INDArray frobeniusNormalize(INDArray h) {
        double n = h.norm2Number().doubleValue();
        return n > 0 ? h.div(n) : h;
    }

    @Override public void afterStep(Network network, RuleState state, StepContext context) {
        if (mirrorEvery > 0 && context.step() % mirrorEvery == 0) mirror(network, state, context.noise());
    }

    /** One weight-mirroring step of F (see the class comment). */
    void mirror(Network network, RuleState state, Random rng) {
        INDArray f = state.get(F);
        INDArray p = forwardProduct(network);
        long d = f.size(0);
        INDArray xn = Nd4j.create(f.dataType(), mirrorBatch, d);
        Nd4j.getExecutioner().exec(new GaussianDistribution(xn, 0.0, mirrorNoise), rng);
        xn.subi(xn.meanNumber());
        INDArray yn = p != null ? MatMul.product(xn, p.castTo(f.dataType()), false, false) : forwardLogits(network, xn);
        INDArray delta = MatMul.product(xn, yn, true, false, -sign / (double) mirrorBatch);
        f.addi(delta.subi(f.mul(mirrorWd)).muli(mirrorLr));
        double target = fScale * Math.sqrt(2.0 / d);
        double std = f.stdNumber().doubleValue();
        if (std > 0) f.muli(target / std);
    }

    /**
     * A network that is not a stack of dense maps (a convolution, pooling): the output layer's pre-activation of the
     * noise batch through the whole (nonlinear) network, as pepita2 mirrors through each layer's nonlinearity. With
     * ReLU/max pooling and no biases the network is positively homogeneous, and for Gaussian noise E[x yᵀ] is a²
     * times the transposed input→logit Jacobian averaged over the noise (Stein's lemma), the conv analogue of the
     * product W_1 ⋯ W_L.
     */
    private static INDArray forwardLogits(Network network, INDArray xn) {
        long[] shape = network.layer(0).op().inputShape();
        long[] batchShape = new long[shape.length + 1];
        batchShape[0] = xn.size(0);
        System.arraycopy(shape, 0, batchShape, 1, shape.length);
        INDArray input = shape.length == 1 ? xn : xn.reshape('c', batchShape);
        ForwardPass pass = network.forward(input.castTo(network.dataType()), ForwardOptions.PLAIN);
        INDArray logits = pass.layer(network.depth() - 1).a();
        return logits.reshape('c', xn.size(0), logits.length() / xn.size(0)).castTo(xn.dataType());
    }

    @Override public Map<String, Double> diagnostics(Network network, RuleState state) {
        Map<String, Double> d = new LinkedHashMap<>();
        INDArray p = forwardProduct(network);
        if (p != null && state.has(F)) d.put("pepita.f_angle", angleDegrees(state.get(F), p));
        d.put("pepita.w1_norm", network.layer(0).weight().norm2Number().doubleValue());
        for (int l = 0; l < network.depth(); l++) d.put("pepita.layer" + l + ".w_norm", network.layer(l).weight().norm2Number().doubleValue());
        d.putAll(lastStep);
        return d;
    }

    /** W_1 W_2 ⋯ W_L as [d, C] (null when a layer is not dense). */
    static INDArray forwardProduct(Network network) {
        INDArray p = null;
        for (Layer layer : network.layers()) {
            if (layer.weight().rank() != 2) return null;
            INDArray w = layer.weight().castTo(DataType.DOUBLE);
            p = p == null ? w.dup() : p.mmul(w);
        }
        return p;
    }

    /** The angle in degrees between vec(a) and vec(b). */
    static double angleDegrees(INDArray a, INDArray b) {
        INDArray u = a.castTo(DataType.DOUBLE).reshape(-1);
        INDArray v = b.castTo(DataType.DOUBLE).reshape(-1);
        double cos = u.mul(v).sumNumber().doubleValue()
                / (u.norm2Number().doubleValue() * v.norm2Number().doubleValue());
        return Math.toDegrees(Math.acos(Math.max(-1.0, Math.min(1.0, cos))));
    }

    private static long inputSize(Network network) {
        long d = 1;
        for (long s : network.layer(0).op().inputShape()) d *= s;
        return d;
    }

    private static long outputSize(Network network) {
        long c = 1;
        for (long s : network.outputLayer().op().outputShape()) c *= s;
        return c;
    }

}
