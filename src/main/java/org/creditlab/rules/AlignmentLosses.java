package org.creditlab.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.UserError;
import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.JvmRandom;
import org.creditlab.nn.Layer;
import org.creditlab.nn.LinearOp;
import org.creditlab.nn.Network;
import org.creditlab.nn.Scratch;
import org.creditlab.nn.StepMemory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * Kunin et al. 2020, "Two routes to scalable credit assignment without weight symmetry" (rules.md §2; kunin
 * {@code Alignments/alignment.py}, {@code primitives.py}): feedback alignment whose backward weights B_l are
 * trained by a local loss R(W_l, B_l, x) with W_l and the layer input x stop-gradiented, so R trains only B.
 * Forward weights get the FA update through the current B (see {@link FeedbackAlignment}).
 *
 * <p>Shapes: kunin's fc B is [out, in]; ours is stored like W, [in, out] (B_ours = B_kuninᵀ), which turns the
 * primitives into (N the batch size, Y = xW, P = x B):
 * <pre>
 *   decay  = ‖W‖² + ‖B‖²                         ∂/∂B = 2B
 *   self   = −tr(W B_kunin) = −Σ W ⊙ B            ∂/∂B = −W
 *   amp    = −(1/N) Σ (xW) ⊙ (xB)                 ∂/∂B = −(1/N) xᵀ Y
 *   sparse = (1/N) (Σ (xW)² + Σ (xB)²)            ∂/∂B = (2/N) xᵀ P
 *   null   = (1/N) Σ (xW Bᵀ)²                     ∂/∂B = (2/N) (Y Bᵀ)ᵀ Y
 * </pre>
 * and the rules (kunin params.py defaults): SA = α decay + β self (1e-3, 2e-3); AA = α sparse + β amp
 * (1e-3, 2e-3); WM = α decay + β amp (1e-3, 1e-3); IA = α amp + β null + γ decay (2e-3, 1e-3, 1e-3).
 * B is updated by plain SGD, B ← B − η_B ∂R/∂B, after the optimizer's step, from ∂R/∂B at the pre-step W
 * and B (as when kunin adds R to the total loss). In kunin the same optimizer and learning rate drive both.
 *
 * <p><b>Our defaults where they differ.</b> With the reference coefficients B relaxes towards its target at a
 * rate of 2αη_B = 2·10⁻³·η_B per step: kunin trains ~4.5·10⁵ steps, we train thousands, so at η_B = the run's
 * lr (0.03–0.1) B barely moves in a 5-epoch run and sa/wm stay at FA's accuracy. sa and wm therefore default to
 * η_B = {@value #FAST_B_LR} (time constant 50 steps; on Fashion-MNIST, fc 500,500, lr 0.03, the angle W–B fell to
 * 0.2° for sa and 12.7° for wm within the first epoch). wm defaults to Akrout's noise input (zero-mean N(0, 1)
 * in place of the layer's activity): with the uncentred ReLU activity the amp term's fixed point is
 * B = (β/2α)·(xᵀx/N)·W, inflated by the activity's large mean, and wm diverged at lr 0.1 and 0.03; with the
 * noise input it is (β/2α)·W = W/2. ia and aa keep the run's lr (their terms also use the activity). All four
 * default to a run lr of 0.03, not bp's 0.1, at which they go through an unstable phase (sa collapses, ia and aa
 * diverge): the sweep is beside their registry lines in {@link RuleRegistry}.
 */
public final class AlignmentLosses implements LearningRule {
    /**
     * The primitive losses on B, written through the layer's own {@link LinearOp} so that they hold for dense
     * layers and convolutions alike (Y = op(x; W), P = op(x; B), and Bᵀ applied by {@link LinearOp#backwardInput}).
     * N counts samples the way the op applies its weights: examples × output positions (1 per example for a dense
     * layer), so a convolution's fixed points match the dense ones (e.g. WM's B* = (β/2α)·W for white noise input).
     */
    public enum Primitive {
        DECAY, SELF, AMP, SPARSE, NULL;

        /** R's value for W, B (the weight's shape) and the layer input x. */
        public double value(LinearOp op, INDArray w, INDArray b, INDArray x) {
            double n = samples(op, x);
            return switch (this) {
                case DECAY -> sq(w) + sq(b);
                case SELF -> -w.mul(b).sumNumber().doubleValue();
                case AMP -> -op.forward(x, w, null).muli(op.forward(x, b, null)).sumNumber().doubleValue() / n;
                case SPARSE -> (sq(op.forward(x, w, null)) + sq(op.forward(x, b, null))) / n;
                case NULL -> sq(op.backwardInput(op.forward(x, w, null), b, x.shape())) / n;
            };
        }

        /** ∂R/∂B, shaped like B. */
        public INDArray gradient(LinearOp op, INDArray w, INDArray b, INDArray x) {
            double n = samples(op, x);
            return switch (this) {
                case DECAY -> b.mul(2.0);
                case SELF -> w.neg();
                case AMP -> op.weightGradient(op.forward(x, w, null).muli(-1.0 / n), x);
                case SPARSE -> op.weightGradient(op.forward(x, b, null).muli(2.0 / n), x);
                case NULL -> {
                    // R = (1/N)‖op_Bᵀ(Y)‖²: ∂/∂B = (2/N)·weightGradient(Y, op_Bᵀ(Y)) by the adjoint identity
                    INDArray y = op.forward(x, w, null);
                    yield op.weightGradient(y.mul(2.0 / n), op.backwardInput(y, b, x.shape()));
                }
            };
        }

        private static double samples(LinearOp op, INDArray x) {
            return (double) x.size(0) * op.positions();
        }

        private static double sq(INDArray t) {
            return t.mul(t).sumNumber().doubleValue();
        }
    }

    /** A rule: named primitives with their coefficients. */
    public enum Kind {
        SA("sa", List.of(Primitive.DECAY, Primitive.SELF), new double[] {1e-3, 2e-3}),
        AA("aa", List.of(Primitive.SPARSE, Primitive.AMP), new double[] {1e-3, 2e-3}),
        WM("wm", List.of(Primitive.DECAY, Primitive.AMP), new double[] {1e-3, 1e-3}),
        IA("ia", List.of(Primitive.AMP, Primitive.NULL, Primitive.DECAY), new double[] {2e-3, 1e-3, 1e-3});

        final String id;
        final List<Primitive> terms;
        final double[] defaults;

        Kind(String id, List<Primitive> terms, double[] defaults) {
            this.id = id;
            this.terms = terms;
            this.defaults = defaults;
        }

        public List<Primitive> terms() { return terms; }
        public double[] defaults() { return defaults.clone(); }
    }

    private static final String[] COEFFICIENTS = {"alpha", "beta", "gamma"};
    /** η_B default of sa and wm (see the class comment). */
    static final double FAST_B_LR = 10.0;

    private final Kind kind;
    private final double[] coefficients;
    private final double bLearningRate;   // NaN: the run's learning rate
    private final boolean noiseInput;
    private final double noiseStd;
    private final FeedbackAlignment fa = FeedbackAlignment.fa();
    /** The weight gradients, reused from step to step (valid until the next compute, as the contract allows). */
    private final Scratch gradientBuffers = new Scratch();
    /** ∂R/∂B per layer from this step's compute, copied out of the step's memory into reused buffers. */
    private final Scratch pendingBuffers = new Scratch();
    /** The memory of the step's pass, sweep and ∂R/∂B, reused from step to step. */
    private final StepMemory memory;
    /** ∂R/∂B per layer from this step's compute (in {@link #pendingBuffers}), applied in afterStep. */
    private Map<Integer, INDArray> pending;

    public AlignmentLosses(Kind kind, double[] coefficients, double bLearningRate, boolean noiseInput, double noiseStd) {
        if (coefficients.length != kind.terms.size()) throw new IllegalArgumentException("coefficients");
        this.kind = kind;
        this.coefficients = coefficients.clone();
        this.bLearningRate = bLearningRate;
        this.noiseInput = noiseInput;
        this.noiseStd = noiseStd;
        this.memory = new StepMemory(kind.id);
    }

    /** From rule options: alpha, beta (, gamma for ia), b_lr, and for wm input = activity|noise and noise_std. */
    public static AlignmentLosses fromOptions(Kind kind, RuleOptions o) {
        double[] c = new double[kind.terms.size()];
        for (int i = 0; i < c.length; i++) c[i] = o.getDouble(COEFFICIENTS[i]);
        double lr = o.getDouble("b_lr");
        boolean noise = false;
        double std = 1.0;
        if (kind == Kind.WM) {
            noise = o.getString("input").equals("noise");
            std = o.getDouble("noise_std");
        }
        return new AlignmentLosses(kind, c, lr, noise, std);
    }

    /** The options of each kind: a coefficient per term, b_lr, and for wm its input; checked by {@link RuleOptions}. */
    public static List<RuleOption> options(Kind kind) {
        List<RuleOption> out = new java.util.ArrayList<>();
        for (int i = 0; i < kind.terms.size(); i++) {
            out.add(RuleOption.number(COEFFICIENTS[i], kind.defaults[i], "coefficient of the "
                    + kind.terms.get(i).name().toLowerCase() + " term of B's loss"));
        }
        out.add(kind == Kind.SA || kind == Kind.WM
                ? RuleOption.number("b_lr", FAST_B_LR, "learning rate of the feedback B").nonNegative()
                : RuleOption.number("b_lr", Double.NaN, "learning rate of the feedback B").nonNegative().defaultText("the run's lr"));
        if (kind == Kind.WM) {
            out.add(RuleOption.choice("input", "what B is mirrored on: zero-mean noise (Akrout) or the layer's activity", "noise", "activity"));
            out.add(RuleOption.number("noise_std", 1.0, "std of the noise input").positive());
        }
        return List.copyOf(out);
    }

    @Override public String name() { return kind.id; }

    @Override public RuleState init(Network net, Random rng) {
        return fa.init(net, rng);
    }

    /**
     * The pass, the sweep and ∂R/∂B run in {@link StepMemory}: the updates are copied out as for fa, and ∂R/∂B
     * (needed after the optimizer's step) is summed into reused buffers outside it.
     */
    @Override public Updates compute(Network net, Batch batch, RuleState state, StepContext ctx) {
        Map<Integer, INDArray> grads = new LinkedHashMap<>();
        Updates u = memory.run(() -> {
            ForwardPass pass = net.forward(batch.x());
            Updates sweep = ErrorPropagation.backward(net, pass, batch.y(), l -> state.get(FeedbackAlignment.feedbackName(l)), gradientBuffers);
            JvmRandom gaussian = noiseInput ? new JvmRandom(ctx.noise()) : null;
            for (int l = 1; l < net.depth(); l++) {
                Layer layer = net.layer(l);
                INDArray x = pass.input(l);
                if (noiseInput) x = gaussian.draw(x.dataType(), noiseStd, x.shape());
                INDArray b = state.get(FeedbackAlignment.feedbackName(l));
                INDArray out = pendingBuffers.get("dB" + l, b.dataType(), b.shape(), 'c');
                grads.put(l, gradient(layer.op(), layer.weight(), b, x, out));
            }
            return sweep.kept();
        });
        pending = grads;
        return u;
    }

    /** ∂R/∂B = Σ_i c_i ∂P_i/∂B. */
    public INDArray gradient(LinearOp op, INDArray w, INDArray b, INDArray x) {
        return gradient(op, w, b, x, null);
    }

    /** ∂R/∂B summed into {@code out} (shaped like B) when it is not null, in a new array otherwise; the same arithmetic. */
    private INDArray gradient(LinearOp op, INDArray w, INDArray b, INDArray x, INDArray out) {
        INDArray g = null;
        for (int i = 0; i < coefficients.length; i++) {
            INDArray t = kind.terms.get(i).gradient(op, w, b, x);
            if (g == null) g = out == null ? t.muli(coefficients[i]) : t.mul(coefficients[i], out);
            else g.addi(t.muli(coefficients[i]));
        }
        return g;
    }

    /** R = Σ_i c_i P_i. */
    public double value(LinearOp op, INDArray w, INDArray b, INDArray x) {
        double v = 0;
        for (int i = 0; i < coefficients.length; i++) v += coefficients[i] * kind.terms.get(i).value(op, w, b, x);
        return v;
    }

    @Override public void afterStep(Network net, RuleState state, StepContext ctx) {
        if (pending == null) return;
        double lr = Double.isNaN(bLearningRate) ? ctx.learningRate() : bLearningRate;
        for (Map.Entry<Integer, INDArray> e : pending.entrySet()) {
            state.get(FeedbackAlignment.feedbackName(e.getKey())).subi(e.getValue().muli(lr));
        }
        pending = null;
    }

    @Override public Map<String, Double> diagnostics(Network net, RuleState state) {
        Map<String, Double> d = new LinkedHashMap<>();
        FeedbackAlignment.feedbackDiagnostics(net, state, d);
        return d;
    }
}
