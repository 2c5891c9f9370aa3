package org.creditlab.nn;

import java.util.List;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * What a learning rule asks of a forward pass beyond the plain computation.
 *
 * @param noise        per-layer noise added to the pre-activation a_l (node perturbation); returns null
 *                     for layers without noise. The function receives the layer index.
 * @param dropoutKeep  keep probability of inverted dropout on hidden layers (1 = none)
 * @param dropoutRng   source of new dropout masks
 * @param reuseMasks   masks recorded by an earlier pass to apply again (PEPITA's second pass); overrides
 *                     drawing new ones
 * @param hiddenOutput a map applied to every hidden layer's output after dropout, whose result becomes
 *                     h_l (Srinivasan et al.'s activation normalisation h_l / ‖h_l‖_F); null for none.
 *                     It is not differentiated: rules that back-propagate must not set it.
 * @param firstLinear  the first layer's linear output z_0 = op(x; W_0) + b_0 when the caller already has it,
 *                     or null to compute it. A second pass on the same input (node perturbation's noisy
 *                     pass) or on an input whose z_0 follows by linearity (PEPITA's modulated pass) skips
 *                     the step's largest matrix product this way. The array is read, never modified.
 */
public record ForwardOptions(IntFunction<INDArray> noise, double dropoutKeep, Random dropoutRng,
                             List<INDArray> reuseMasks, UnaryOperator<INDArray> hiddenOutput, INDArray firstLinear) {
    public static final ForwardOptions PLAIN = new ForwardOptions(null, 1.0, null, null, null, null);

    /** The options without a hidden-output map and a given z_0 (the original four components). */
    public ForwardOptions(IntFunction<INDArray> noise, double dropoutKeep, Random dropoutRng,
                          List<INDArray> reuseMasks) {
        this(noise, dropoutKeep, dropoutRng, reuseMasks, null, null);
    }

    public ForwardOptions withNoise(IntFunction<INDArray> perLayerNoise) {
        return new ForwardOptions(perLayerNoise, dropoutKeep, dropoutRng, reuseMasks, hiddenOutput, firstLinear);
    }

    public ForwardOptions withDropout(double keep, Random rng) {
        return new ForwardOptions(noise, keep, rng, null, hiddenOutput, firstLinear);
    }

    public ForwardOptions reusingMasks(List<INDArray> masks) {
        return new ForwardOptions(noise, dropoutKeep, dropoutRng, masks, hiddenOutput, firstLinear);
    }

    public ForwardOptions withHiddenOutput(UnaryOperator<INDArray> map) {
        return new ForwardOptions(noise, dropoutKeep, dropoutRng, reuseMasks, map, firstLinear);
    }

    public ForwardOptions withFirstLinearOutput(INDArray z0) {
        return new ForwardOptions(noise, dropoutKeep, dropoutRng, reuseMasks, hiddenOutput, z0);
    }
}
