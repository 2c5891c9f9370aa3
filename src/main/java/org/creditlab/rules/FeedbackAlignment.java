package org.creditlab.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.nn.Dense;
import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.JvmRandom;
import org.creditlab.nn.Layer;
import org.creditlab.nn.LayerRecord;
import org.creditlab.nn.LinearOp;
import org.creditlab.nn.Network;
import org.creditlab.nn.Scratch;
import org.creditlab.nn.Param;
import org.creditlab.nn.SignConcordant;
import org.creditlab.nn.StepMemory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The feedback-alignment family (rules.md §2): the forward pass uses W_l, the backward pass replaces W_lᵀ by a
 * feedback tensor B_l,
 * <pre>  δ_L = ∂L/∂a_L,   δ_{l-1} = φ'(a_{l-1}) ⊙ (B_l δ_l),   g_{W_l} = δ_l ⊗ h_{l-1}.</pre>
 * B_l is stored with W_l's shape ([n_in, n_out] for dense layers) as "layer{l}.B", so that
 * {@link Layer#propagate} pushes an error through it exactly as it would through W_l (B = W is backprop).
 * The first layer's B is never used (no error goes to the input) and is not allocated.
 * The variants differ only in how B_l is obtained:
 * <ul>
 * <li>{@code fa} (Lillicrap et al. 2016): random, fixed, drawn like W_l by the layer's initialiser.</li>
 * <li>{@code dfa} (Nøkland 2016): δ_l = φ'(a_l) ⊙ (B_l e) with e = ∂L/∂a_L the output error and B_l ∈
 *     R^{n_l×C} random and fixed, stored [n_l, C] as "layer{l}.B" for every hidden layer l. For a convolution
 *     n_l = C_l·H_l·W_l, the layer's output before pooling: the error reaches every feature map directly.</li>
 * <li>{@code usf} (biotorch): B = s·sign(W), s the initialiser's std; {@code frsf}: B = |R| ⊙ sign(W) with R
 *     fixed ("layer{l}.R"); {@code brsf}: |R| redrawn every step. Recomputed from the current W each step.</li>
 * <li>{@code kp} Kolen–Pollack (Akrout et al. 2019; kunin {@code alignment.py:Kolen_Pollack}): B receives
 *     W's gradient, plus the decay α‖B‖² of kunin's loss: B ← B − η_B (g_W + 2α B).</li>
 * </ul>
 * fa and dfa default to lr 0.03 (bp's 0.1 is unstable for them; the sweep is beside their registry lines in
 * {@link RuleRegistry}); the sign-concordant rules and kp learn stably at 0.1.
 */
public final class FeedbackAlignment implements LearningRule {
    /** How B is obtained. */
    public enum Variant { FA, DFA, USF, FRSF, BRSF, KP }

    /** The weight gradients, reused from step to step (see {@link ErrorPropagation#backward}). */
    private final Scratch gradientBuffers = new Scratch();
    /** The memory of the step's passes (and of kp's B update), reused from step to step. */
    private final StepMemory memory;

    private final Variant variant;
    private final double bLearningRate;   // NaN: the run's learning rate
    private final double decay;
    /** KP: this step's W gradients, applied to B in afterStep (computed from pre-step W and B). */
    private Updates pending;

    private FeedbackAlignment(Variant variant, double bLearningRate, double decay) {
        this.variant = variant;
        this.bLearningRate = bLearningRate;
        this.decay = decay;
        this.memory = new StepMemory(name());
    }

    public static FeedbackAlignment fa() { return new FeedbackAlignment(Variant.FA, Double.NaN, 0); }
    public static FeedbackAlignment dfa() { return new FeedbackAlignment(Variant.DFA, Double.NaN, 0); }
    public static FeedbackAlignment usf() { return new FeedbackAlignment(Variant.USF, Double.NaN, 0); }
    public static FeedbackAlignment frsf() { return new FeedbackAlignment(Variant.FRSF, Double.NaN, 0); }
    public static FeedbackAlignment brsf() { return new FeedbackAlignment(Variant.BRSF, Double.NaN, 0); }

    /**
     * @param bLearningRate η_B (NaN: the run's learning rate at each step)
     * @param decay         α, the coefficient of ‖B‖² in kunin's KP loss (its default 1e-3)
     */
    public static FeedbackAlignment kolenPollack(double bLearningRate, double decay) {
        return new FeedbackAlignment(Variant.KP, bLearningRate, decay);
    }

    /** KP from rule options {@code b_lr} and {@code decay}. */
    public static FeedbackAlignment kolenPollack(RuleOptions o) {
        return kolenPollack(o.getDouble("b_lr"), o.getDouble("decay"));
    }

    /** kp's options; {@link RuleOptions} checks given values against them. */
    public static final List<RuleOption> KP_OPTIONS = List.of(
            RuleOption.number("b_lr", Double.NaN, "learning rate of the feedback B").nonNegative().defaultText("the run's lr"),
            RuleOption.number("decay", FeedbackAlignment.DEFAULT_KP_DECAY, "coefficient of the decay ||B||^2 in kunin's KP loss").nonNegative());

    /** kunin params.py: Kolen_Pollack alpha defaults to 1e-3. */
    public static final double DEFAULT_KP_DECAY = 1e-3;

    public Variant variant() { return variant; }

    @Override public String name() { return variant.name().toLowerCase(); }

    public static String feedbackName(int l) { return "layer" + l + ".B"; }

    static String randomName(int l) { return "layer" + l + ".R"; }

    @Override public RuleState init(Network net, Random rng) {
        RuleState state = RuleState.empty();
        int last = net.depth() - 1;
        if (variant == Variant.DFA) {
            long classes = width(net.outputLayer().op());
            Layer out = net.outputLayer();
            for (int l = 0; l < last; l++) {
                long n = width(net.layer(l).op());
                state.put(feedbackName(l), out.initializer().sample(new long[] {n, classes}, n, classes,
                        net.dataType(), rng));
            }
            return state;
        }
        for (int l = 1; l <= last; l++) {
            Layer layer = net.layer(l);
            INDArray w = layer.weight();
            switch (variant) {
                case FA, KP -> state.put(feedbackName(l), drawLike(layer, rng));
                case USF, BRSF -> state.put(feedbackName(l), w.ulike());
                case FRSF -> {
                    state.put(randomName(l), drawLike(layer, rng));
                    state.put(feedbackName(l), w.ulike());
                }
                default -> throw new IllegalStateException();
            }
        }
        return state;
    }

    static INDArray drawLike(Layer layer, Random rng) {
        LinearOp op = layer.op();
        return layer.initializer().sample(op.weightShape(), op.fanIn(), op.fanOut(), layer.weight().dataType(), rng);
    }

    /**
     * The pass and the sweep run in {@link StepMemory}: only the updates leave it (the weight gradients live in
     * reused buffers outside it, the bias gradients are copied out); the sign rules' B is rewritten in place.
     */
    @Override public Updates compute(Network net, Batch batch, RuleState state, StepContext ctx) {
        Updates u = memory.run(() -> {
            ForwardPass pass = net.forward(batch.x());
            if (variant == Variant.DFA) return directFeedback(net, pass, batch.y(), state).kept();
            refreshSignFeedback(net, state, ctx);
            return ErrorPropagation.backward(net, pass, batch.y(), l -> state.get(feedbackName(l)), gradientBuffers).kept();
        });
        if (variant == Variant.KP) pending = u;
        return u;
    }

    /** usf/frsf/brsf: B_l from the current sign(W_l). */
    private void refreshSignFeedback(Network net, RuleState state, StepContext ctx) {
        if (variant != Variant.USF && variant != Variant.FRSF && variant != Variant.BRSF) return;
        JvmRandom random = variant == Variant.BRSF ? new JvmRandom(ctx.noise()) : null;
        for (int l = 1; l < net.depth(); l++) {
            Layer layer = net.layer(l);
            INDArray b = state.get(feedbackName(l));
            switch (variant) {
                case USF -> SignConcordant.fill(b, layer.weight(), initialStd(layer));
                case FRSF -> SignConcordant.fill(b, layer.weight(), state.get(randomName(l)));
                case BRSF -> SignConcordant.fill(b, layer.weight(), redrawnMagnitudes(layer, b, random));
                default -> throw new IllegalStateException();
            }
        }
    }

    /**
     * brsf's R for layer l, distributed like W_l and redrawn every step on the JVM (N(0, s²) for normal initialisers,
     * U(0, √3·s), already |U(±√3·s)|, for uniform ones), drawn into B's own memory when it is contiguous.
     */
    private static INDArray redrawnMagnitudes(Layer layer, INDArray b, JvmRandom random) {
        INDArray r = b.ordering() == 'c' && !b.isView() ? b : Nd4j.createUninitialized(b.dataType(), b.shape(), 'c');
        return layer.initializer().isUniform() ? random.fillUniform(r, Math.sqrt(3.0) * initialStd(layer))
                : random.fill(r, initialStd(layer));
    }

    private static double initialStd(Layer layer) {
        return layer.initializer().std(layer.op().fanIn(), layer.op().fanOut());
    }

    /**
     * DFA: the output layer gets its true delta; hidden layer l gets φ'(a_l) ⊙ (e B_lᵀ), e = ∂L/∂z_L. The
     * projection uses a dense op of B's shape, scaled by 1/√n_l when the network is NTK-parameterised, so that
     * B_l = W_L reproduces FA exactly for one hidden layer.
     */
    private Updates directFeedback(Network net, ForwardPass pass, INDArray y,
                                   RuleState state) {
        Updates u = new Updates().loss(ErrorPropagation.loss(net, pass, y));
        int last = net.depth() - 1;
        Layer out = net.outputLayer();
        LayerRecord rOut = pass.last();
        INDArray e = out.toLinearOutput(rOut, ErrorPropagation.outputDelta(net, pass, y));
        put(u, last, out.gradients(e, rOut.input(), gradientBuffers, Param.weightName(last)));
        boolean ntk = out.op() instanceof Dense d && d.scale() != 1.0;
        for (int l = 0; l < last; l++) {
            Layer layer = net.layer(l);
            LayerRecord r = pass.layer(l);
            INDArray b = state.get(feedbackName(l));
            Dense projection = new Dense(b.size(0), b.size(1), ntk ? 1.0 / Math.sqrt(b.size(0)) : 1.0);
            // the projection lands on φ(a_l), at the op's output resolution (before any pooling)
            INDArray gradPhi = projection.backwardInput(e, b, r.a().shape());
            INDArray deltaZ = layer.toLinearOutput(r, layer.throughActivation(r, gradPhi));
            put(u, l, layer.gradients(deltaZ, r.input(), gradientBuffers, Param.weightName(l)));
        }
        return u;
    }

    private static void put(Updates u, int l, Layer.Gradient g) {
        u.put(Param.weightName(l), g.dW());
        if (g.db() != null) u.put(Param.biasName(l), g.db());
    }

    @Override public void afterStep(Network net, RuleState state, StepContext ctx) {
        if (variant != Variant.KP || pending == null) return;
        double lr = Double.isNaN(bLearningRate) ? ctx.learningRate() : bLearningRate;
        memory.run(() -> {   // the temporaries only: B is updated in place
            for (int l = 1; l < net.depth(); l++) {
                INDArray b = state.get(feedbackName(l));
                INDArray g = pending.get(Param.weightName(l));
                // B ← B − η_B (g_W + 2α B), both terms taken at the pre-step B
                b.subi(g.add(b.mul(2 * decay)).muli(lr));
            }
            return null;
        });
        pending = null;
    }

    /** Per layer with a feedback tensor of W's shape: angle(W, B) in degrees and ‖B‖/‖W‖. */
    @Override public Map<String, Double> diagnostics(Network net, RuleState state) {
        Map<String, Double> d = new LinkedHashMap<>();
        if (variant == Variant.DFA) {
            // B_l maps the output error to layer l; with one hidden layer it has W_L's shape and plays its role.
            int last = net.depth() - 1;
            if (last >= 1) {
                INDArray b = state.get(feedbackName(last - 1));
                INDArray w = net.outputLayer().weight();
                if (b.length() == w.length()) {
                    d.put("layer" + (last - 1) + ".angle_wnext_b", Angles.degrees(w, b));
                    d.put("layer" + (last - 1) + ".norm_ratio_b_wnext", Angles.normRatio(b, w));
                }
            }
            return d;
        }
        feedbackDiagnostics(net, state, d);
        return d;
    }

    /** angle_w_b and norm_ratio_b_w for every layer whose "layer{l}.B" has W_l's shape. */
    static void feedbackDiagnostics(Network net, RuleState state, Map<String, Double> d) {
        for (int l = 0; l < net.depth(); l++) {
            if (!state.has(feedbackName(l))) continue;
            INDArray w = net.layer(l).weight();
            INDArray b = state.get(feedbackName(l));
            if (!java.util.Arrays.equals(w.shape(), b.shape())) continue;
            d.put("layer" + l + ".angle_w_b", Angles.degrees(w, b));
            d.put("layer" + l + ".norm_ratio_b_w", Angles.normRatio(b, w));
        }
    }

    private static long width(LinearOp op) {
        long n = 1;
        for (long s : op.outputShape()) n *= s;
        return n;
    }
}
