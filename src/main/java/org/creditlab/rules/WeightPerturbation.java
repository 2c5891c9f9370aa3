package org.creditlab.rules;

import java.util.ArrayList;
import java.util.List;
import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.JvmRandom;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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

    public WeightPerturbation(RuleOptions o) {
        this.sigma = o.getPositive("sigma", 1e-3);
        this.antithetic = o.getBoolean("antithetic", false);
        this.doublePrecision = o.getChoice("precision", "float", "float", "double").equals("double");
    }

    @Override public String name() { return "wp"; }

    @Override public Updates compute(Network network, Batch batch, RuleState state, StepContext context) {
        DataType dtype = network.dataType();
        DataType work = doublePrecision ? DataType.DOUBLE : dtype;
        Network net = work == dtype ? network : network.castTo(work);
        INDArray x = batch.x().castTo(work);
        INDArray y = batch.y().castTo(work);

        ForwardPass clean = net.forward(x);
        JvmRandom gaussian = new JvmRandom(context.noise());
        List<INDArray> psi = new ArrayList<>();
        for (Param p : net.params()) psi.add(gaussian.draw(work, sigma, p.value().shape()));
        ForwardPass plus = perturbed(net, psi, +1.0).forward(x);
        ForwardPass reference = antithetic ? perturbed(net, psi, -1.0).forward(x) : clean;
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

    /** A copy of {@code net} with parameters W + sign·Ψ. */
    private static Network perturbed(Network net, List<INDArray> psi, double sign) {
        Network copy = net.copy();
        for (int i = 0; i < psi.size(); i++) {
            INDArray v = copy.params().get(i).value();
            if (sign > 0) v.addi(psi.get(i)); else v.subi(psi.get(i));
        }
        return copy;
    }
}
