package org.creditlab.rules;

import static org.creditlab.rules.RuleTestSupport.average;
import static org.creditlab.rules.RuleTestSupport.cosine;
import static org.creditlab.rules.RuleTestSupport.replicate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.creditlab.GradCheck;
import org.creditlab.nn.Activation;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Node and weight perturbation on a tiny convolutional network (1×6×6 input, conv 2@3×3, tanh, 2×2 average
 * pooling, dense readout of 3 sigmoid units, MSE, batch 3, double): averaged over many independent draws the
 * estimates point along the true (backprop) gradient, cosine > 0.99 for every parameter, with the gradient's norm.
 * Both estimators are unbiased to first order in σ, so the average converges to the gradient at a rate ~1/√draws;
 * the draw counts below leave a margin: at them the smallest cosine was 0.9990 (np, 20,000 draws; 0.9995 at 40,000)
 * and 0.997 (wp, 4,000 draws; 0.958 on the 47-parameter net at 2,000), and a failing assertion prints them all.
 */
class ConvPerturbationEstimateTest {
    private static final long[] IN = {1, 6, 6};
    private static final String SPEC = "conv2k3,act,avgpool2,fc3";

    private static Network net(long seed) {
        return ConvFixtures.build(SPEC, IN, 3, Activation.TANH, Activation.SIGMOID, new MeanSquaredError(), true,
                DataType.DOUBLE, seed);
    }

    private static Batch batch(long seed) {
        return new Batch(ConvFixtures.images(seed, 3, IN, DataType.DOUBLE), GradCheck.uniformTargets(3, 3, seed + 1), new int[3]);
    }

    private static void assertAligned(Updates est, Updates bp, Network net, double normTolerance) {
        StringBuilder all = new StringBuilder();
        for (Param p : net.params()) all.append(p.name()).append(' ').append(cosine(est.get(p.name()), bp.get(p.name()))).append("; ");
        for (Param p : net.params()) {
            double cos = cosine(est.get(p.name()), bp.get(p.name()));
            assertTrue(cos > 0.99, p.name() + ": cosine " + cos + " to the backprop gradient (" + all + ")");
            double ratio = est.get(p.name()).norm2Number().doubleValue() / bp.get(p.name()).norm2Number().doubleValue();
            assertEquals(1.0, ratio, normTolerance, p.name() + ": norm ratio to backprop");
        }
    }

    /**
     * np with its conv default σ = 1e-5 on the conv pre-activations [B, 2, 4, 4] and the readout's: 35 noise units
     * per example. With per-example noise the batch tiled k times gives k independent draws per call (see
     * NodePerturbationTest).
     */
    @Test void nodePerturbationAveragePointsAlongTheGradient() {
        Network net = net(41);
        Batch batch = batch(42);
        NodePerturbation np = (NodePerturbation) RuleRegistry.get("np").create(new RuleOptions("np", Map.of()));
        assertEquals(1e-5, np.sigma(net), "nodepert's conv default");
        Updates est = average(np, net, replicate(batch, 2000), RuleState.empty(), 10, 3_000);   // 20,000 draws
        assertAligned(est, Backprop.gradient(net, batch), net, 0.1);
    }

    /**
     * wp (antithetic) perturbs the kernel, the conv bias and the dense parameters together. Every coordinate of its
     * estimate carries the variance of the whole gradient (Var ≈ ‖g‖²/draws), so it needs far more draws than np
     * per parameter; on a smaller conv net (1×5×5, conv 1@3×3, tanh, 2×2 average pooling with stride 1, 2 sigmoid
     * units: 20 parameters, the fc test's size) 4,000 antithetic draws suffice.
     */
    @Test void weightPerturbationAveragePointsAlongTheGradient() {
        long[] in = {1, 5, 5};
        Network net = ConvFixtures.build("conv1k3,act,avgpool2s1,fc2", in, 2, Activation.TANH, Activation.SIGMOID,
                new MeanSquaredError(), true, DataType.DOUBLE, 51);
        Batch batch = new Batch(ConvFixtures.images(52, 3, in, DataType.DOUBLE), GradCheck.uniformTargets(3, 2, 53), new int[3]);
        LearningRule wp = RuleRegistry.get("wp").create(new RuleOptions("wp", Map.of("antithetic", true)));
        Updates est = average(wp, net, batch, RuleState.empty(), 4000, 20_000);
        assertAligned(est, Backprop.gradient(net, batch), net, 0.15);
    }
}
