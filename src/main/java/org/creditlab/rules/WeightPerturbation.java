package org.creditlab.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.JvmRandom;
import org.creditlab.nn.Network;
import org.creditlab.nn.Scratch;
import org.creditlab.nn.StepMemory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight perturbation (Jabri &amp; Flower 1992; the zeroth-order estimator node perturbation is compared
 * against in Mehta &amp; Lillicrap's nodepert study and Hiratani et al. 2022): one perturbation Ψ ~ N(0, σ² I)
 * of <em>all</em> parameters (weights and biases) per batch,
 * <pre>  δL = L̄(W + Ψ) − L̄(W),   g = (δL / σ²) Ψ</pre>
 * where L̄ is the batch-mean loss and δL is formed in double from per-example differences of the two
 * passes' outputs ({@link LossDifference}). To first order E[(Ψ·∇L)Ψ]/σ² = ∇L, so g is unbiased up to
 * O(σ²); its variance grows with the number of parameters, far faster than node perturbation's.
 *
 * <p>Options:
 * <ul>
 *   <li>{@code sigma} (1e-3): std of Ψ. Larger than node perturbation's 1e-4 because Ψ sits on the weights
 *       themselves: a float32 weight of size ~0.05 only resolves perturbations down to ~3e-9, and the
 *       loss change is a sum over many tiny weight changes, so a larger σ keeps δL clear of rounding while
 *       the bias (third order in σ for the antithetic form, second for the one-sided) stays negligible.</li>
 *   <li>{@code antithetic} (false): use δL = L̄(W + Ψ) − L̄(W − Ψ) and g = δL/(2σ²) Ψ. This cancels the
 *       even-order terms of δL (the Hessian term ½ΨᵀHΨ), which lowers the variance at the price of one
 *       more forward pass.</li>
 *   <li>{@code precision} = float (default) | double: as in node perturbation; double runs the passes on a
 *       float64 copy of the network.</li>
 * </ul>
 * The clean pass is always run: its loss is the step's reported loss.
 */
public final class WeightPerturbation implements LearningRule {
    private final double sigma;
    private final boolean antithetic;
    private final boolean doublePrecision;
    /** Ψ, one buffer per parameter, reused between steps (valid until the next compute, as the contract allows). */
    private final Scratch psiBuffers = new Scratch();
    /** The perturbed networks W + Ψ and W − Ψ, reused between steps. */
    private final Network[] copies = new Network[2];
    /** The memory of the step's passes (and of a float64 copy of the network), reused from step to step. */
    private final StepMemory memory = new StepMemory("wp");

    /** The options (see the class comment); {@link RuleOptions} checks given values against them. */
    public static final List<RuleOption> OPTIONS = List.of(
            RuleOption.number("sigma", 1e-3, "std of the perturbation of every weight and bias").positive(),
            RuleOption.bool("antithetic", false, "use L(W + Psi) - L(W - Psi) (one more forward pass, lower variance)"),
            RuleOption.choice("precision", "float: passes in the network's dtype; double: passes on a float64 copy", "float", "double"));

    public WeightPerturbation(RuleOptions o) {
        this.sigma = o.getDouble("sigma");
        this.antithetic = o.getBoolean("antithetic");
        this.doublePrecision = o.getString("precision").equals("double");
    }

    @Override public String name() { return "wp"; }

    /**
     * The passes run in {@link StepMemory}; Ψ and the perturbed copies live outside it (Ψ, scaled in place, is the
     * update), and casts back from float64 are copied out.
     */
    @Override public Updates compute(Network network, Batch batch, RuleState state, StepContext context) {
        return memory.run(() -> estimate(network, batch, context).kept());
    }

    private Updates estimate(Network network, Batch batch, StepContext context) {
        DataType dtype = network.dataType();
        DataType work = doublePrecision ? DataType.DOUBLE : dtype;
        Network net = work == dtype ? network : network.castTo(work);
        INDArray x = batch.x().castTo(work);
        INDArray y = batch.y().castTo(work);

        ForwardPass clean = net.forward(x);
        JvmRandom gaussian = new JvmRandom(context.noise());
        Network plusNet = reusableCopy(net, 0);
        List<INDArray> psi = new ArrayList<>();
        for (int i = 0; i < net.params().size(); i++) {
            psi.add(drawPerturbation(gaussian, net.params().get(i).value(), plusNet.params().get(i).value(), i));
        }
        ForwardPass plus = plusNet.forward(x);
        ForwardPass reference = clean;
        if (antithetic) {
            Network minusNet = reusableCopy(net, 1);
            for (int i = 0; i < psi.size(); i++) net.params().get(i).value().sub(psi.get(i), minusNet.params().get(i).value());
            reference = minusNet.forward(x);
        }
        double deltaL = LossDifference.perExample(net.loss(), plus.last(), reference.last(), y)
                .meanNumber().doubleValue();
        double coeff = deltaL / ((antithetic ? 2.0 : 1.0) * sigma * sigma);

        Updates updates = new Updates().loss(ErrorPropagation.loss(net, clean, y));
        for (int i = 0; i < psi.size(); i++) {
            updates.put(net.params().get(i).name(), psi.get(i).muli(coeff).castTo(dtype));
        }
        updates.scalar("wp.delta_loss", deltaL);
        return updates;
    }

    /**
     * Ψ for one parameter, drawn into a buffer reused between steps, with W + Ψ written into the perturbed
     * copy's parameter in the same pass over memory: for a 784-1024-10 network these are 0.8 M draws per step
     * (≈ 6 ms, about half a backprop step here), and a fresh copy plus separate draw and add passes came on top.
     */
    private INDArray drawPerturbation(JvmRandom gaussian, INDArray w, INDArray perturbed, int i) {
        INDArray psi = psiBuffers.get("psi" + i, w.dataType(), w.shape(), 'c');
        if (w.ordering() == 'c' && !w.isView() && perturbed.ordering() == 'c' && !perturbed.isView()) {
            return gaussian.fillAndAdd(psi, w, perturbed, sigma);
        }
        gaussian.fill(psi, sigma);
        w.add(psi, perturbed);
        return psi;
    }

    /**
     * A copy of {@code net} whose parameters this rule overwrites every step (slot 0: W + Ψ, slot 1: W − Ψ), kept
     * between steps while it matches the network's types and shapes.
     */
    private Network reusableCopy(Network net, int slot) {
        Network copy = copies[slot];
        if (copy == null || !sameParameterLayout(copy, net)) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                copy = net.copy();   // outlives the step, so never in a step's workspace
            }
            copies[slot] = copy;
        }
        return copy;
    }

    private static boolean sameParameterLayout(Network a, Network b) {
        if (a.params().size() != b.params().size() || a.depth() != b.depth()) return false;
        for (int i = 0; i < a.params().size(); i++) {
            INDArray p = a.params().get(i).value();
            INDArray q = b.params().get(i).value();
            if (p.dataType() != q.dataType() || !Arrays.equals(p.shape(), q.shape())) return false;
        }
        return true;
    }
}
