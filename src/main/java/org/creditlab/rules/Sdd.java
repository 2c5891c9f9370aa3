package org.creditlab.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.creditlab.UserError;
import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.Layer;
import org.creditlab.nn.MatMul;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.nn.Rows;
import org.creditlab.nn.Scratch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Segregated-dendrite learning, Guerguiev, Lillicrap &amp; Richards 2017 ("Towards deep learning with
 * segregated dendrites", eLife), rules.md §3. The network's Dense layers hold the feedforward weights W_l, b_l;
 * the rule simulates the compartments itself:
 * <ul>
 *   <li>hidden neurons: basal B = s_{l-1} W_l + b_l, apical A = λ_out Y_l (broadcast feedback from the output
 *       layer, Y_l of shape [C, n_l] stored as rule state "layer{l}.Y"), soma C (non-spiking C = k_B B; spiking
 *       C' = −g_L C + g_B (B − C), g_A = 0), rate λ = λ_max σ(C);</li>
 *   <li>output neurons: C = k_D B in the forward phase; in the target phase a teaching conductance
 *       g_E = one-hot label, g_I = 1 − g_E with reversal potentials E_E = 8, E_I = −8;</li>
 *   <li>plateau potentials α^f = σ(Ā^f), α^t = σ(Ā^t) at the end of each phase;</li>
 *   <li>local updates (returned in gradient sign convention, so the optimizer's W ← W − lr·update gives the
 *       paper's W ← W − η P E ⊗ s̄):
 *       output E_L = −k_D λ_max σ'(C̄^f)(λ̄^t − λ_max σ(C̄^f)), update η_L P_final s̄^fᵀ E_L;
 *       hidden E_l = −k_B λ_max σ'(C̄^f_l)(α^t_l − α^f_l), update η_l P_hidden s̄^fᵀ E_l; biases get η P E.</li>
 * </ul>
 * Constants (reference {@code deep_learning.py}): g_L = 0.1, g_B = g_D = 0.6, g_A = 0, λ_max = 0.2, E_E = 8,
 * E_I = −8, k_B = g_B/(g_L+g_B+g_A), k_D = g_D/(g_L+g_D), P_hidden = 20/λ_max = 100, P_final = 20/λ_max² = 500,
 * τ_L = 10, τ_s = 3, spike memory 10 steps, dt = 1 ms. Inputs are rates λ_max·x for pixels x in [0, 1].
 *
 * <p><b>Learning rates.</b> The per-layer rates η_l come from option {@code etas} (default 0.21 for every layer,
 * the reference's f_etas of {@code example_script.py} and lange's {@code comp_dnn_base_params.json}); the run's
 * {@code lr} multiplies them (registry default lr = 1, so the run reproduces the reference exactly; lr = 0.5
 * halves every η_l).
 *
 * <p><b>Options.</b>
 * <ul>
 *   <li>{@code mode} = nonspiking (default; the reference repo's {@code nonspiking_mode = True}, what lange
 *       uses) | spiking (the paper's headline runs).</li>
 *   <li>{@code feedback} = random (default: fixed, drawn as in the reference: Y of the last hidden layer is
 *       3.465·W_sd(L)·U(−½, ½), Y_l = Y_{l+1}·R with R drawn the same way with layer l+1's W_sd) | sparse (the same,
 *       then each entry zeroed with probability 0.8 and the survivors ×5) | symmetric (Y_{L−1} = W_Lᵀ,
 *       Y_l = Y_{l+1} W_{l+1}ᵀ, recomputed after every step) | learned (the reference's
 *       {@code update_feedback_weights}: Y ← Y − b_eta · PSP_Aᵀ E_inv with E_inv = −(λ_max σ(C̄^f) − α^f) σ'(Ā^f),
 *       applied in afterStep).</li>
 *   <li>{@code b_eta} (0.01; our choice, the reference leaves b_etas to the caller): the learned feedback rate
 *       (not multiplied by the run lr).</li>
 *   <li>{@code batched} (false): the paper learns online, one example per step, and the rule refuses batches
 *       larger than one. With batched = true the same local update is computed for every row of the minibatch
 *       at once (phases simulated vectorised over the rows, spiking phase lengths shared by the batch) and
 *       averaged: a variant for speed, not the paper's algorithm.</li>
 *   <li>{@code weight_init} = optimized (default; the reference's {@code use_weight_optimization}) | keep
 *       (keep the network's own initialiser; Y = U(−½, ½) as in the reference's non-optimised branch).</li>
 *   <li>{@code input_mean}, {@code input_sq}: the mean and second moment of one presynaptic input rate of the
 *       first layer assumed by the weight optimisation. The reference assumes for every layer the rate of a
 *       neuron in its linear regime, ν·V_avg = 0.15 and ν²(V_sd² + V_avg²) = 0.045 (ν = λ_max/4); those are the
 *       defaults, and what we use for every deeper layer. Real pixels are much dimmer, so the configs set the
 *       dataset's own moments (λ_max × pixel mean, λ_max² × mean squared pixel), which puts the first layer's
 *       basal potentials at mean ≈ 3, sd ≈ 3 as the paper intends.</li>
 *   <li>{@code test_seed} (12345): seed of the Poisson spikes of the spiking test phase (evaluation is then
 *       deterministic).</li>
 *   <li>{@code random_phases} (true): spiking phase lengths 50 + ⌊Wald(2, 1)⌋ ms; false = 50 ms.</li>
 * </ul>
 *
 * <p><b>Non-spiking mode</b> (rules.md §3.2): two steps per phase, averaging over the last step. With g_A = 0 the
 * hidden somata do not see the apical input, so everything is at steady state after the first step except the
 * apical potential, which lags the output by one step; the averaged (second-step) values are therefore
 * λ_l = λ_max σ(k_B B_l), λ^f_out = λ_max σ(k_D B_L), λ^t_out = λ_max σ((g_D B_L + g_E E_E + g_I E_I)/(g_L+g_D+g_E+g_I)),
 * A^f = λ^f_out Y, A^t = λ^t_out Y, and s̄ is the rate of the layer below. These closed forms are what the rule
 * computes.
 *
 * <p><b>Spiking mode</b> (rules.md §3.1; simulated by {@link SddSpiking} one example at a time): Poisson spikes
 * (rate λ per 1 ms step; the count is drawn by inversion and truncated at 4 spikes per step, P(≥5) &lt; 3·10⁻⁶ at
 * λ_max), PSPs s = Σ_{k=1..10} κ(k) S_{t−k+1} with κ(t) = (e^{−t/τ_L} − e^{−t/τ_s})/(τ_L − τ_s), Euler steps of the
 * conductance equations, both phases 50 + ⌊Wald(2, 1)⌋ ms long, averages over the last 20 steps of each phase; the
 * state is reset at the start of every example and carried from the forward into the target phase. Within a step
 * the layers update bottom-up; the apical input uses the output spikes up to the previous step. Randomness: a
 * {@link SplittableRandom} seeded from {@code ctx.noise().nextLong()} draws the two phase lengths (the Wald sampler
 * is Michael, Schucany &amp; Haas 1976; with batched = true the batch shares them), then each row simulates with its
 * own {@code split()} stream. Test phase: 250 ms, output C averaged over the last 220 steps, spikes from
 * {@code new SplittableRandom(test_seed)} split per row of each evaluation chunk.
 *
 * <p><b>predict</b> returns σ(C̄_out) (monotone in the reference's argmax of the mean output C): in non-spiking
 * mode of the forward phase, in spiking mode of the 250 ms test phase.
 *
 * <p><b>init</b> overwrites the fresh network's weights and biases in place with the weight-optimisation
 * initialisation (unless weight_init = keep): per layer with fan-in N and presynaptic rate moments m, q, choose
 * W_avg = (V_avg − b_avg)/(N m) and E[W²] = (V_sm − N(N−1) W_avg² m² − 2 N W_avg m b_avg − b_avg²)/(N q) so the basal
 * (dendritic) potential has mean V_avg = 3 and second moment V_sm = 3² + 3²; W = W_avg + 3.465·W_sd·U(−½, ½)
 * (std W_sd; the reference's form), b = 0.8 + 3.465·0.001·U(−½, ½).
 *
 * <p><b>Diagnostics</b>: "sdd.angle_hidden_bp" the angle (degrees) between the first hidden layer's error E_1
 * and backprop's error for it on the last batch the rule saw (the reference's record_backprop_angle:
 * δ_L = E_L, δ_l = (δ_{l+1} W_{l+1}ᵀ) k_B λ_max σ'(C̄^f_l)), with "sdd.angle_hidden_bp.layer{l}" for deeper
 * hidden layers; "sdd.max_eig" the largest eigenvalue of (I − U)ᵀ(I − U), U = k_D (Y_{L−1} W_L)ᵀ (the reference's
 * weight-product condition; &lt; 1 is the paper's sufficient condition for learning).
 */
public final class Sdd implements LearningRule {
    static final double G_L = 0.1, G_B = 0.6, G_A = 0.0, G_D = G_B;
    static final double LAMBDA_MAX = 0.2, E_E = 8.0, E_I = -8.0;
    static final double K_B = G_B / (G_L + G_B + G_A), K_D = G_D / (G_L + G_D);
    static final double P_HIDDEN = 20.0 / LAMBDA_MAX, P_FINAL = 20.0 / (LAMBDA_MAX * LAMBDA_MAX);
    static final double TAU_L = 10.0, TAU_S = 3.0;
    static final int MEM = 10, MIN_PHASE = 50, INTEGRATION = 20, TEST_PHASE = 250, TEST_INTEGRATION = 220;
    static final double WALD_MEAN = 2.0, WALD_SHAPE = 1.0;
    static final double V_AVG = 3.0, V_SD = 3.0, B_AVG = 0.8, B_SD = 0.001, NU = LAMBDA_MAX / 4;
    static final double DEFAULT_ETA = 0.21;

    enum Mode { NONSPIKING, SPIKING }

    private final Mode mode;
    private final String feedback;
    private final boolean batched;
    private final List<Double> etas;
    private final double bEta;
    private final boolean optimizeInit;
    private final double inputMean;
    private final double inputSq;
    private final long testSeed;
    private final boolean randomPhases;

    /** The last batch's phase averages (diagnostics and learned feedback); not checkpointed. */
    private Phases last;
    /** Weight-update arrays reused from step to step: at batch 1 allocating them cost more than computing them. */
    private final Scratch updateBuffers = new Scratch();

    /** The options (see the class comment); {@link RuleOptions} checks given values against them. */
    public static final List<RuleOption> OPTIONS = List.of(
            RuleOption.choice("mode", "rate-based neurons (the reference repo's default) or Poisson spikes (the paper's headline runs)", "nonspiking", "spiking"),
            RuleOption.choice("feedback", "apical feedback Y: fixed random, sparse random, W's transpose product, or learned", "random", "sparse", "symmetric", "learned"),
            RuleOption.bool("batched", false, "compute the local update for every row of a minibatch at once (a speed variant, not the paper's online rule)"),
            RuleOption.numbers("etas", null, "per-layer learning rates, multiplied by the run's lr").defaultText("0.21 per layer"),
            RuleOption.number("b_eta", 0.01, "learning rate of learned feedback (not multiplied by the run's lr)"),
            RuleOption.choice("weight_init", "the reference's weight optimisation, or keep the network's initialiser", "optimized", "keep"),
            RuleOption.number("input_mean", NU * V_AVG, "mean presynaptic input rate assumed by the weight optimisation").positive(),
            RuleOption.number("input_sq", NU * NU * (V_SD * V_SD + V_AVG * V_AVG), "second moment of that rate").positive(),
            RuleOption.integer("test_seed", 12345, "seed of the spiking test phase's Poisson spikes"),
            RuleOption.bool("random_phases", true, "spiking phase lengths 50 + floor(Wald(2, 1)) ms; false: 50 ms"));

    public Sdd(RuleOptions o) {
        this.mode = o.getString("mode").equals("spiking") ? Mode.SPIKING : Mode.NONSPIKING;
        this.feedback = o.getString("feedback");
        this.batched = o.getBoolean("batched");
        this.etas = o.getDoubles("etas");
        this.bEta = o.getDouble("b_eta");
        this.optimizeInit = o.getString("weight_init").equals("optimized");
        this.inputMean = o.getDouble("input_mean");
        this.inputSq = o.getDouble("input_sq");
        this.testSeed = o.getLong("test_seed");
        this.randomPhases = o.getBoolean("random_phases");
    }

    @Override public String name() { return "sdd"; }

    Mode mode() { return mode; }

    static String feedbackName(int l) { return "layer" + l + ".Y"; }

    private double eta(int l) {
        if (etas == null) return DEFAULT_ETA;
        if (etas.size() == 1) return etas.get(0);
        if (l >= etas.size()) throw new UserError("rule option etas of sdd has " + etas.size() + " entries; the network has more layers");
        return etas.get(l);
    }

    // ---------------------------------------------------------------- init

    @Override public RuleState init(Network net, Random rng) {
        int depth = net.depth();
        for (Layer layer : net.layers()) {
            if (!layer.op().kind().equals("dense") || layer.norm() != null || !layer.post().isEmpty()) {
                throw new UserError("rule sdd needs a fully connected network without normalisation, as in its paper"
                        + " (convolutional networks are not supported): use --network fc");
            }
        }
        if (etas != null && etas.size() != 1 && etas.size() != depth) {
            throw new UserError("rule option etas of sdd needs 1 or " + depth + " entries, got " + etas.size());
        }
        DataType dt = net.dataType();
        double[] wSd = new double[depth];
        for (int l = 0; l < depth; l++) {
            Layer layer = net.layer(l);
            long n = layer.op().fanIn();
            double m = l == 0 ? inputMean : NU * V_AVG;
            double q = l == 0 ? inputSq : NU * NU * (V_SD * V_SD + V_AVG * V_AVG);
            double[] law = weightLaw(n, m, q);
            wSd[l] = law[1];
            if (optimizeInit) {
                INDArray w = uniformCentered(dt, layer.weight().shape(), rng).muli(3.465 * law[1]).addi(law[0]);
                layer.weight().assign(w);
                if (layer.hasBias()) {
                    layer.bias().assign(uniformCentered(dt, layer.bias().shape(), rng).muli(3.465 * B_SD).addi(B_AVG));
                }
            }
        }
        RuleState state = RuleState.empty();
        long classes = net.outputLayer().op().fanOut();
        INDArray above = null;
        for (int l = depth - 2; l >= 0; l--) {
            long nl = net.layer(l).op().fanOut();
            INDArray y;
            if (!optimizeInit) {
                y = uniformCentered(dt, new long[] {classes, nl}, rng);
            } else if (above == null) {
                y = uniformCentered(dt, new long[] {classes, nl}, rng).muli(3.465 * wSd[l + 1]);
            } else {
                long nAbove = net.layer(l + 1).op().fanOut();
                y = above.mmul(uniformCentered(dt, new long[] {nAbove, nl}, rng).muli(3.465 * wSd[l + 1]));
            }
            if (feedback.equals("sparse")) {
                INDArray keep = Nd4j.create(dt, y.shape());
                Nd4j.getExecutioner().exec(new BernoulliDistribution(keep, 0.2), rng);
                y.muli(keep).muli(5.0);
            }
            state.put(feedbackName(l), y);
            above = y;
        }
        if (feedback.equals("symmetric")) makeSymmetric(net, state);
        return state;
    }

    /** {W_avg, W_sd} for fan-in n and presynaptic rate mean m, second moment q (see the class comment). */
    static double[] weightLaw(long n, double m, double q) {
        double vSm = V_SD * V_SD + V_AVG * V_AVG;
        double wAvg = (V_AVG - B_AVG) / (n * m);
        double wSm = (vSm - (double) n * (n - 1) * wAvg * wAvg * m * m - 2.0 * n * wAvg * m * B_AVG - B_AVG * B_AVG) / (n * q);
        double var = wSm - wAvg * wAvg;
        if (!(var > 0)) throw new UserError("sdd weight optimisation: no positive weight variance for fan-in " + n
                + " and input moments " + m + ", " + q);
        return new double[] {wAvg, Math.sqrt(var)};
    }

    private static INDArray uniformCentered(DataType dt, long[] shape, Random rng) {
        INDArray u = Nd4j.create(dt, shape);
        Nd4j.getExecutioner().exec(new UniformDistribution(u, -0.5, 0.5), rng);
        return u;
    }

    private static void makeSymmetric(Network net, RuleState state) {
        int depth = net.depth();
        INDArray above = null;
        for (int l = depth - 2; l >= 0; l--) {
            INDArray wT = net.layer(l + 1).weight().transpose();
            INDArray y = above == null ? wT.dup() : above.mmul(wT);
            if (state.has(feedbackName(l))) state.get(feedbackName(l)).assign(y);
            else state.put(feedbackName(l), y);
            above = y;
        }
    }

    // ---------------------------------------------------------------- compute

    /** Phase averages for a batch (rows = examples). Index l is the layer (0..L−1); hidden-only arrays have L−1 entries. */
    static final class Phases {
        INDArray[] s;        // mean presynaptic input (PSP or rate) of layer l over the forward window
        INDArray[] cF;       // C̄^f of layer l
        INDArray lamT;       // λ̄^t of the output
        INDArray[] aF, aT;   // Ā^f, Ā^t of hidden layer l
        INDArray psiA;       // mean apical input (output rates / PSPs) over the forward window
        INDArray[] e;        // the error signals E_l, filled by updatesFrom
    }

    @Override public Updates compute(Network net, Batch batch, RuleState state, StepContext ctx) {
        if (batch.size() > 1 && !batched) {
            throw new UserError("rule sdd learns online (batch_size 1); set rule option batched=true to average the "
                    + "local update over a minibatch of " + batch.size());
        }
        INDArray x = flat(batch.x()).castTo(net.dataType());
        INDArray onehot = onehot(batch.labels(), net.outputLayer().op().fanOut(), net.dataType());
        Phases p = mode == Mode.NONSPIKING ? nonspikingPhases(net, state, x, onehot)
                : spikingPhases(net, state, x, onehot, batch.labels(), ctx.noise());
        Updates u = updatesFrom(net, p);
        last = p;
        return u;
    }

    private static INDArray flat(INDArray x) {
        return x.rank() == 2 ? x : x.reshape('c', x.size(0), x.length() / x.size(0));
    }

    static INDArray onehot(int[] labels, long classes, DataType dt) {
        INDArray y = Nd4j.zeros(dt, labels.length, classes);
        for (int i = 0; i < labels.length; i++) y.putScalar(i, labels[i], 1.0);
        return y;
    }

    private static INDArray sigmoid(INDArray a) { return Transforms.sigmoid(a, true); }

    private static INDArray sigmoidDeriv(INDArray a) {
        INDArray s = Transforms.sigmoid(a, true);
        return s.rsub(1.0).muli(s);
    }

    /** Output C in the target phase of the non-spiking mode: (g_D B + g_E E_E + g_I E_I)/(g_L + g_D + g_E + g_I). */
    static INDArray targetSoma(INDArray basal, INDArray gE) {
        INDArray gI = gE.rsub(1.0);
        INDArray num = basal.mul(G_D).addi(gE.mul(E_E)).addi(gI.mul(E_I));
        INDArray den = gE.add(gI).addi(G_L + G_D);
        return num.divi(den);
    }

    Phases nonspikingPhases(Network net, RuleState state, INDArray x, INDArray onehot) {
        int depth = net.depth();
        Phases p = new Phases();
        p.s = new INDArray[depth];
        p.cF = new INDArray[depth];
        p.aF = new INDArray[depth - 1];
        p.aT = new INDArray[depth - 1];
        INDArray rate = x.mul(LAMBDA_MAX);
        INDArray basalOut = null;
        for (int l = 0; l < depth; l++) {
            p.s[l] = rate;
            INDArray basal = net.layer(l).linear(rate);
            boolean out = l == depth - 1;
            p.cF[l] = basal.mul(out ? K_D : K_B);
            rate = sigmoid(p.cF[l]).muli(LAMBDA_MAX);
            if (out) basalOut = basal;
        }
        INDArray lamF = rate;
        p.lamT = sigmoid(targetSoma(basalOut, onehot)).muli(LAMBDA_MAX);
        p.psiA = lamF;
        for (int l = 0; l < depth - 1; l++) {
            INDArray y = state.get(feedbackName(l));
            p.aF[l] = MatMul.product(lamF, y, false, false);
            p.aT[l] = MatMul.product(p.lamT, y, false, false);
        }
        return p;
    }

    /** The local updates (gradient sign convention) and loss from the phase averages; fills p.e. */
    Updates updatesFrom(Network net, Phases p) {
        int depth = net.depth();
        long rows = p.lamT.size(0);
        p.e = new INDArray[depth];
        int lastL = depth - 1;
        INDArray predicted = sigmoid(p.cF[lastL]).muli(LAMBDA_MAX);
        INDArray diff = p.lamT.sub(predicted);
        p.e[lastL] = sigmoidDeriv(p.cF[lastL]).muli(diff).muli(-K_D * LAMBDA_MAX);
        for (int l = 0; l < lastL; l++) {
            INDArray plateau = sigmoid(p.aT[l]).subi(sigmoid(p.aF[l]));
            p.e[l] = sigmoidDeriv(p.cF[l]).muli(plateau).muli(-K_B * LAMBDA_MAX);
        }
        double loss = diff.mul(diff).sumNumber().doubleValue() / rows;
        Updates u = new Updates().loss(loss);
        for (int l = 0; l < depth; l++) {
            Layer layer = net.layer(l);
            double scale = eta(l) * (l == lastL ? P_FINAL : P_HIDDEN) / rows;
            Layer.Gradient g = layer.gradients(p.e[l], p.s[l], updateBuffers, Param.weightName(l));
            u.put(Param.weightName(l), g.dW().muli(scale));
            if (layer.hasBias()) u.put(Param.biasName(l), g.db().muli(scale));
        }
        return u;
    }

    @Override public void afterStep(Network net, RuleState state, StepContext ctx) {
        if (feedback.equals("symmetric")) {
            makeSymmetric(net, state);
        } else if (feedback.equals("learned") && last != null) {
            long rows = last.psiA.size(0);
            for (int l = 0; l < net.depth() - 1; l++) {
                INDArray eInv = sigmoid(last.cF[l]).muli(LAMBDA_MAX).subi(sigmoid(last.aF[l]))
                        .muli(sigmoidDeriv(last.aF[l])).negi();
                INDArray dY = MatMul.product(last.psiA, eInv, true, false, bEta / rows);
                state.get(feedbackName(l)).subi(dY);
            }
        }
    }

    // ---------------------------------------------------------------- spiking

    /** κ(t) = (e^{−t/τ_L} − e^{−t/τ_s})/(τ_L − τ_s). */
    static double kappa(double t) {
        return (Math.exp(-t / TAU_L) - Math.exp(-t / TAU_S)) / (TAU_L - TAU_S);
    }

    /** A Wald (inverse Gaussian) draw with mean mu and shape lambda (Michael, Schucany &amp; Haas 1976). */
    static double wald(SplittableRandom r, double mu, double lambda) {
        double n = gaussian(r);
        double y = n * n;
        double x = mu + mu * mu * y / (2 * lambda) - mu / (2 * lambda) * Math.sqrt(4 * mu * lambda * y + mu * mu * y * y);
        return r.nextDouble() <= mu / (mu + x) ? x : mu * mu / x;
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A phase length in steps: 50 + ⌊Wald(2, 1)⌋. */
    static int phaseLength(SplittableRandom r) {
        return MIN_PHASE + (int) Math.floor(wald(r, WALD_MEAN, WALD_SHAPE));
    }

    Phases spikingPhases(Network net, RuleState state, INDArray x, INDArray onehot, int[] labels, Random rng) {
        SplittableRandom base = new SplittableRandom(rng.nextLong());
        int tf = randomPhases ? phaseLength(base) : MIN_PHASE;
        int tt = randomPhases ? phaseLength(base) : MIN_PHASE;
        int depth = net.depth();
        int rows = (int) x.size(0);
        SddSpiking sim = new SddSpiking(net);
        double[][] xs = Rows.asDoubles(x);
        SddSpiking.Trace[] traces = new SddSpiking.Trace[rows];
        for (int i = 0; i < rows; i++) traces[i] = sim.train(xs[i], labels[i], tf, tt, base.split());
        DataType dt = net.dataType();
        Phases p = new Phases();
        p.s = new INDArray[depth];
        p.cF = new INDArray[depth];
        for (int l = 0; l < depth; l++) {
            final int ll = l;
            p.s[l] = stack(dt, rows, i -> traces[i].sBar[ll]);
            p.cF[l] = stack(dt, rows, i -> traces[i].cF[ll]);
        }
        p.psiA = stack(dt, rows, i -> traces[i].psiF);
        INDArray psiT = stack(dt, rows, i -> traces[i].psiT);
        p.lamT = stack(dt, rows, i -> traces[i].lamT);
        p.aF = new INDArray[depth - 1];
        p.aT = new INDArray[depth - 1];
        for (int l = 0; l < depth - 1; l++) {
            INDArray y = state.get(feedbackName(l));
            p.aF[l] = MatMul.product(p.psiA, y, false, false);
            p.aT[l] = MatMul.product(psiT, y, false, false);
        }
        return p;
    }

    private static INDArray stack(DataType dt, int rows, java.util.function.IntFunction<double[]> row) {
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) m[i] = row.apply(i);
        return Nd4j.create(m).castTo(dt);
    }

    // ---------------------------------------------------------------- predict

    @Override public INDArray predict(Network net, ForwardPass plainPass, INDArray x, RuleState state) {
        INDArray xs = flat(x).castTo(net.dataType());
        if (mode == Mode.NONSPIKING) {
            INDArray rate = xs.mul(LAMBDA_MAX);
            INDArray c = null;
            for (int l = 0; l < net.depth(); l++) {
                c = net.layer(l).linear(rate).muli(l == net.depth() - 1 ? K_D : K_B);
                rate = sigmoid(c).muli(LAMBDA_MAX);
            }
            return sigmoid(c);
        }
        SddSpiking sim = new SddSpiking(net);
        double[][] rows = Rows.asDoubles(xs);
        SplittableRandom base = new SplittableRandom(testSeed);
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) out[i] = sim.test(rows[i], base.split());
        return sigmoid(Nd4j.create(out).castTo(net.dataType()));
    }

    // ---------------------------------------------------------------- diagnostics

    @Override public Map<String, Double> diagnostics(Network net, RuleState state) {
        Map<String, Double> d = new LinkedHashMap<>();
        int depth = net.depth();
        if (last != null && last.e != null && depth > 1) {
            INDArray[] bp = backpropErrors(net, last);
            for (int l = 0; l < depth - 1; l++) {
                double angle = Angles.degrees(last.e[l], bp[l]);
                d.put(l == 0 ? "sdd.angle_hidden_bp" : "sdd.angle_hidden_bp.layer" + l, angle);
            }
        }
        if (depth > 1) d.put("sdd.max_eig", maxEigenvalue(net, state));
        return d;
    }

    /** The reference's backprop error signals: δ_L = E_L, δ_l = (δ_{l+1} W_{l+1}ᵀ) k_B λ_max σ'(C̄^f_l). */
    static INDArray[] backpropErrors(Network net, Phases p) {
        int depth = net.depth();
        INDArray[] bp = new INDArray[depth];
        bp[depth - 1] = p.e[depth - 1];
        for (int l = depth - 2; l >= 0; l--) {
            bp[l] = MatMul.product(bp[l + 1], net.layer(l + 1).weight(), false, true)
                    .muli(sigmoidDeriv(p.cF[l])).muli(K_B * LAMBDA_MAX);
        }
        return bp;
    }

    /** Largest eigenvalue of (I − U)ᵀ(I − U), U = k_D (Y_{L−1} W_L)ᵀ. */
    static double maxEigenvalue(Network net, RuleState state) {
        int depth = net.depth();
        INDArray y = state.get(feedbackName(depth - 2)).castTo(DataType.DOUBLE);
        INDArray w = net.outputLayer().weight().castTo(DataType.DOUBLE);
        INDArray u = y.mmul(w).transpose().muli(K_D);
        INDArray iu = Nd4j.eye(u.size(0)).castTo(DataType.DOUBLE).subi(u);
        INDArray m = iu.transpose().mmul(iu).dup('c');
        INDArray ev = Eigen.symmetricGeneralizedEigenvalues(m);
        return ev.maxNumber().doubleValue();
    }

    List<String> feedbackNames(Network net) {
        List<String> names = new ArrayList<>();
        for (int l = 0; l < net.depth() - 1; l++) names.add(feedbackName(l));
        return names;
    }
}
