package org.creditlab.nn;

import java.util.List;
import java.util.function.IntFunction;
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
 */
public record ForwardOptions(IntFunction<INDArray> noise, double dropoutKeep, Random dropoutRng,
                             List<INDArray> reuseMasks) {
    public static final ForwardOptions PLAIN = new ForwardOptions(null, 1.0, null, null);

    public ForwardOptions withNoise(IntFunction<INDArray> perLayerNoise) {
        return new ForwardOptions(perLayerNoise, dropoutKeep, dropoutRng, reuseMasks);
    }

    public ForwardOptions withDropout(double keep, Random rng) {
        return new ForwardOptions(noise, keep, rng, null);
    }

    public ForwardOptions reusingMasks(List<INDArray> masks) {
        return new ForwardOptions(noise, dropoutKeep, dropoutRng, masks);
    }
}
