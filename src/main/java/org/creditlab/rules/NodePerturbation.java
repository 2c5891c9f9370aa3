package org.creditlab.rules;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.creditlab.nn.ForwardOptions;
import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.JvmRandom;
import org.creditlab.nn.Layer;
import org.creditlab.nn.LayerRecord;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.nn.Scratch;
import org.creditlab.nn.StepMemory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.rng.Random;

/**
 * Node perturbation (Williams 1992; in the form of Mehta &amp; Lillicrap's nodepert code and Hiratani,
 * Mehta, Lillicrap &amp; Latham, NeurIPS 2022), rules.md §1.1:
 * <ol>
 *   <li>a clean pass gives a_l, h_l, ŷ;</li>
 *   <li>a noisy pass adds ξ_l ~ N(0, σ² I) to <em>every</em> layer's pre-activation, the output layer's
 *       included; the noise propagates downstream and is drawn afresh every step;</li>
 *   <li>δL_b = L(ỹ_b, y_b) − L(ŷ_b, y_b) per example, formed in double ({@link LossDifference});</li>
 *   <li>g_{W_l} = (1/B) Σ_b (δL_b/σ²) ξ_{l,b} ⊗ h_{l-1,b} and g_{b_l} = (1/B) Σ_b (δL_b/σ²) ξ_{l,b},
 *       formed as matrix products: the rows of ξ_l are scaled by δL_b/σ² and handed to the layer's own
 *       weight-gradient op (so convolutions work unchanged).</li>
 * </ol>
 * To first order E[δL ξ/σ²] = ∂L/∂a, so g is an unbiased estimate of the gradient of the batch-mean loss.
 *
 * <p>Options:
 * <ul>
 *   <li>{@code sigma}: noise std; by default nodepert's values, 1e-4 for fully connected networks
 *       ({@code model/fc.py}) and 1e-5 for networks with convolutions ({@code model/conv.py}). Logged as the
 *       "np.sigma" diagnostic.</li>
 *   <li>{@code noise} = per-example (default) | shared. per-example draws ξ independently for every example
 *       (hiratani; the checklist's choice). shared draws one ξ row per layer for the whole batch and uses
 *       the batch-mean δL̄ as a single scalar, i.e. g = (δL̄/σ²) ξ ⊗ mean_b h_{l-1,b}: this reproduces
 *       nodepert at HEAD (commit 43ea10c) and is <em>not</em> an estimator of the minibatch gradient
 *       (rules.md §1.2, quirk 1); it is there for parity only.</li>
 *   <li>{@code reduce} = mean (default) | sum: average over the batch (nodepert; the gradient of the
 *       batch-mean loss, which the optimizers expect) or sum it (hiratani's MNIST script, lr not ÷B).</li>
 *   <li>{@code presynaptic} = clean (default) | noisy: the h_{l-1} in the outer product. clean (hiratani)
 *       makes the estimator's first-order expectation exactly the backprop gradient at the clean point;
 *       noisy (nodepert's aux trick gives ξ ⊗ h̃_{l-1}) differs by O(σ) terms because h̃_{l-1} is
 *       correlated with the upstream noise that also moved δL. At σ = 1e-4 both are indistinguishable in
 *       practice; clean is the textbook form and needs no extra bookkeeping.</li>
 *   <li>{@code precision} = float (default) | double: float runs both passes in the network's own dtype and
 *       forms only δL in double (from the outputs cast to double, exact); double runs both passes on a
 *       float64 copy of the network. A test checks the two agree (cosine &gt; 0.99 for the same noise);
 *       float is the cheaper default, double the fallback if cancellation is ever suspected.</li>
 *   <li>{@code weight_norm} = none (default) | first | all: Hiratani et al.'s stabiliser (rules.md §1.3):
 *       after each optimizer step, rescale the incoming weights of every unit (column j of W [n_in, n_out];
 *       for rank-4 kernels, the first axis) of the first or of all layers so that their RMS equals the
 *       initialiser's std. Biases are not touched.</li>
 * </ul>
 * Works with any optimizer; nodepert's default is SGD with lr 1e-2.
 */
public final class NodePerturbation implements LearningRule {
    /** nodepert's noise scales: model/fc.py and model/conv.py. */
    static final double FC_SIGMA = 1e-4;
    static final double CONV_SIGMA = 1e-5;

    /** The std given as an option, or NaN for nodepert's default for the network ({@link #sigma(Network)}). */
    private final double sigmaOption;
    private final boolean shared;
    private final boolean sum;
    private final boolean noisyPresynaptic;
    private final boolean doublePrecision;
    private final String weightNorm;
    /** ξ_l arrays reused from step to step (they live only within one compute). */
    private final Scratch noiseBuffers = new Scratch();
    /** The weight gradients, reused from step to step (valid until the next compute, as the contract allows). */
    private final Scratch gradientBuffers = new Scratch();
    /** The memory of the step's two passes (and of a float64 copy of the network), reused from step to step. */
    private final StepMemory memory = new StepMemory("np");

    /** The options (see the class comment); {@link RuleOptions} checks given values against them. */
    public static final java.util.List<RuleOption> OPTIONS = java.util.List.of(
            RuleOption.number("sigma", FC_SIGMA, "std of the Gaussian noise on every pre-activation; unset: nodepert's 1e-4 on fc networks, 1e-5 on networks with convolutions").positive(),
            RuleOption.choice("noise", "per-example: a draw per example; shared: one draw per batch (nodepert's HEAD, not a gradient estimate)", "per-example", "shared"),
            RuleOption.choice("reduce", "average the per-example updates over the batch, or sum them (lr not divided by B)", "mean", "sum"),
            RuleOption.choice("presynaptic", "the h in the outer product: from the clean pass (textbook) or the noisy one (nodepert)", "clean", "noisy"),
            RuleOption.choice("precision", "float: passes in the network's dtype, only the loss difference in double; double: passes on a float64 copy", "float", "double"),
            RuleOption.choice("weight_norm", "after each step rescale each unit's incoming weights to the initialiser's RMS, in the first or in all layers (none: never)", "none", "first", "all"));

    public NodePerturbation(RuleOptions o) {
        double declared = o.getDouble("sigma");
        this.sigmaOption = o.has("sigma") ? declared : Double.NaN;   // unset: nodepert's value for the network
        this.shared = o.getString("noise").equals("shared");
        this.sum = o.getString("reduce").equals("sum");
        this.noisyPresynaptic = o.getString("presynaptic").equals("noisy");
        this.doublePrecision = o.getString("precision").equals("double");
        this.weightNorm = o.getString("weight_norm");
    }

    @Override public String name() { return "np"; }

    /** The noise std on {@code net}: the option, else nodepert's default for fully connected or conv networks. */
    public double sigma(Network net) {
        if (!Double.isNaN(sigmaOption)) return sigmaOption;
        return net.layers().stream().anyMatch(l -> l.op().kind().equals("conv2d")) ? CONV_SIGMA : FC_SIGMA;
    }

    /**
     * Both passes run in {@link StepMemory}; the noise and the weight gradients live in reused buffers outside it,
     * and the rest of the updates (bias gradients, casts back from float64) is copied out.
     */
    @Override public Updates compute(Network network, Batch batch, RuleState state, StepContext context) {
        return memory.run(() -> estimate(network, batch, context).kept());
    }

    private Updates estimate(Network network, Batch batch, StepContext context) {
        DataType dtype = network.dataType();
        double sigma = sigma(network);
        Network net = doublePrecision && dtype != DataType.DOUBLE ? network.castTo(DataType.DOUBLE) : network;
        DataType work = net.dataType();
        INDArray x = batch.x().castTo(work);
        INDArray y = batch.y().castTo(work);
        int batchSize = (int) x.size(0);

        ForwardPass clean = net.forward(x);
        INDArray[] xi = drawNoise(net, batchSize, work, sigma, context.noise());
        // Same input, so the noisy pass starts from the clean z_0 (noise enters after the linear op).
        ForwardPass noisy = net.forward(x, ForwardOptions.PLAIN.withNoise(l -> xi[l]).withFirstLinearOutput(clean.layer(0).z()));

        double[] deltaL = LossDifference.values(net.loss(), noisy.last(), clean.last(), y);
        double meanDeltaL = Arrays.stream(deltaL).sum() / batchSize;
        double scale = (sum ? 1.0 : 1.0 / batchSize) / (sigma * sigma);
        double[] perExample = new double[batchSize];
        for (int b = 0; b < batchSize; b++) perExample[b] = scale * (shared ? meanDeltaL : deltaL[b]);
        INDArray coeff = Nd4j.createFromArray(perExample).reshape(batchSize, 1).castTo(work);

        Updates updates = new Updates().loss(ErrorPropagation.loss(net, clean, y));
        for (int l = 0; l < net.depth(); l++) {
            Layer layer = net.layer(l);
            LayerRecord r = clean.layer(l);
            INDArray est = scaleRows(xi[l], coeff);                  // (δL_b/σ²)·ξ_{l,b}, ÷B for mean
            INDArray deltaZ = layer.toLinearOutput(r, est);
            INDArray pre = noisyPresynaptic ? noisy.input(l) : clean.input(l);
            if (work == dtype) {
                // the update is the product preᵀ·deltaZ: left unformed, plain SGD can apply it inside the product
                updates.putGradients(l, layer.gradientsAsProduct(deltaZ, pre, gradientBuffers, Param.weightName(l)));
                continue;
            }
            Layer.Gradient g = layer.gradients(deltaZ, pre, gradientBuffers, Param.weightName(l));
            updates.put(Param.weightName(l), g.dW().castTo(dtype));
            if (g.db() != null) updates.put(Param.biasName(l), g.db().castTo(dtype));
        }
        updates.scalar("np.delta_loss_mean", meanDeltaL);
        return updates;
    }

    /** ξ_l for every layer (float-valued draws, so float and double runs see the same noise). */
    private INDArray[] drawNoise(Network net, int batchSize, DataType work, double sigma, Random rng) {
        JvmRandom gaussian = new JvmRandom(rng);
        INDArray[] xi = new INDArray[net.depth()];
        for (int l = 0; l < net.depth(); l++) {
            long[] unit = net.layer(l).op().outputShape();
            long[] shape = new long[unit.length + 1];
            shape[0] = shared ? 1 : batchSize;
            System.arraycopy(unit, 0, shape, 1, unit.length);
            INDArray n = gaussian.fill(noiseBuffers.get("xi" + l, work, shape, 'c'), sigma);
            if (shared) {
                long[] full = shape.clone();
                full[0] = batchSize;
                n = n.broadcast(full).dup();
            }
            xi[l] = n;
        }
        return xi;
    }

    /**
     * Multiplies example b of {@code t} (any rank, batch first, c order: the noise buffers) by coeff[b] in place
     * and returns it: ξ is not needed after the estimate is formed, and a copy per layer showed in the profile.
     */
    static INDArray scaleRows(INDArray t, INDArray coeff) {
        long b = t.size(0);
        if (t.rank() == 2) return t.muliColumnVector(coeff);
        t.reshape('c', b, t.length() / b).muliColumnVector(coeff);   // a view of t's c-order buffer
        return t;
    }

    @Override public void afterStep(Network network, RuleState state, StepContext context) {
        if (weightNorm.equals("none")) return;
        int last = weightNorm.equals("first") ? 1 : network.depth();
        for (int l = 0; l < last; l++) normalizeIncoming(network.layer(l));
    }

    /**
     * Rescale each unit's incoming weights to RMS = the initialiser's std (Hiratani et al. 2022): the
     * columns of a dense W [n_in, n_out], or the first-axis slices of a higher-rank kernel.
     */
    static void normalizeIncoming(Layer layer) {
        INDArray w = layer.weight();
        double target = layer.initializer().std(layer.op().fanIn(), layer.op().fanOut());
        if (w.rank() == 2) {
            INDArray rms = org.nd4j.linalg.ops.transforms.Transforms.sqrt(w.mul(w).mean(true, 0), false);
            w.diviRowVector(rms.addi(1e-30)).muli(target);
        } else {
            long units = w.size(0);
            INDArray flat = w.reshape('c', units, w.length() / units);
            INDArray rms = org.nd4j.linalg.ops.transforms.Transforms.sqrt(flat.mul(flat).mean(true, 1), false);
            INDArray scaled = flat.divColumnVector(rms.addi(1e-30)).muli(target);
            w.assign(scaled.reshape('c', w.shape()));
        }
    }

    @Override public Map<String, Double> diagnostics(Network network, RuleState state) {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("np.sigma", sigma(network));
        for (int l = 0; l < network.depth(); l++) {
            d.put("layer" + l + ".w_norm", network.layer(l).weight().norm2Number().doubleValue());
        }
        return d;
    }
}
