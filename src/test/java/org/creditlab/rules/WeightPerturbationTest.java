package org.creditlab.rules;

import static org.creditlab.rules.RuleTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.creditlab.UserError;
import org.creditlab.nn.Activation;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class WeightPerturbationTest {

    private static LearningRule wp(Map<String, ?> options) {
        return RuleRegistry.get("wp").create(new RuleOptions("wp", options));
    }

    private static INDArray flat(Updates u, Network net) {
        INDArray[] parts = net.params().stream().map(p -> u.get(p.name()).castTo(DataType.DOUBLE).reshape(1, -1))
                .toArray(INDArray[]::new);
        return Nd4j.hstack(parts);
    }

    @Test void averagedEstimatePointsAlongTheGradient() {
        Network net = net(4, List.of(3), 2, Activation.TANH, Activation.SIGMOID, new MeanSquaredError(), true,
                DataType.DOUBLE, 5);
        Batch batch = batch(3, 4, 2, DataType.DOUBLE, 6);
        Updates bp = Backprop.gradient(net, batch);
        // Each coordinate's estimate carries the variance of the whole gradient, so the layer with the smallest
        // gradient (layer1.W) converges slowest: over six seeds its cosine was 0.970–0.997 at 2,000 draws and
        // 0.994–0.999 at 8,000.
        Updates est = average(wp(Map.of("antithetic", true)), net, batch, RuleState.empty(), 8000, 10_000);
        assertTrue(cosine(flat(est, net), flat(bp, net)) > 0.99);
        for (Param p : net.params()) {
            double c = cosine(est.get(p.name()), bp.get(p.name()));
            assertTrue(c > 0.99, p.name() + ": cosine " + c);
        }
        double ratio = flat(est, net).norm2Number().doubleValue() / flat(bp, net).norm2Number().doubleValue();
        assertEquals(1.0, ratio, 0.1);
        assertEquals(bp.loss(), wp(Map.of()).compute(net, batch, RuleState.empty(), ctx(0, 1)).loss(), 1e-12);
    }

    @Test void antitheticHasSmallerErrorThanOneSidedForTheSameNoise() {
        // Same Ψ for both (same seeds): the first-order terms coincide, and the one-sided estimate carries the
        // extra even-order term ½ΨᵀHΨ·Ψ/σ², visible at a coarse σ.
        Network net = net(4, List.of(3), 2, Activation.TANH, Activation.SIGMOID, new MeanSquaredError(), true,
                DataType.DOUBLE, 7);
        Batch batch = batch(3, 4, 2, DataType.DOUBLE, 8);
        INDArray truth = flat(Backprop.gradient(net, batch), net);
        LearningRule one = wp(Map.of("sigma", 0.3));
        LearningRule anti = wp(Map.of("sigma", 0.3, "antithetic", "true"));
        double errOne = 0, errAnti = 0;
        StepContext c = ctx(0, 0);
        for (int i = 0; i < 150; i++) {
            c.noise().setSeed(500 + i);
            INDArray g1 = flat(one.compute(net, batch, RuleState.empty(), c), net);
            c.noise().setSeed(500 + i);
            INDArray g2 = flat(anti.compute(net, batch, RuleState.empty(), c), net);
            errOne += g1.sub(truth).norm2Number().doubleValue() * g1.sub(truth).norm2Number().doubleValue();
            errAnti += g2.sub(truth).norm2Number().doubleValue() * g2.sub(truth).norm2Number().doubleValue();
        }
        assertTrue(errAnti < 0.9 * errOne, "antithetic MSE " + errAnti / 150 + " vs one-sided " + errOne / 150);
    }

    @Test void floatAndDoublePrecisionAgreeForTheSameNoise() {
        Network net = net(4, List.of(3), 2, Activation.TANH, Activation.SIGMOID, new MeanSquaredError(), true,
                DataType.FLOAT, 9);
        Batch batch = batch(3, 4, 2, DataType.FLOAT, 10);
        for (int draw = 0; draw < 5; draw++) {
            Updates f = wp(Map.of()).compute(net, batch, RuleState.empty(), ctx(draw, 40 + draw));
            Updates d = wp(Map.of("precision", "double")).compute(net, batch, RuleState.empty(), ctx(draw, 40 + draw));
            double cos = cosine(flat(f, net), flat(d, net));
            assertTrue(cos > 0.99, "draw " + draw + ": cosine " + cos);
        }
    }

    @Test void optionsAreValidated() {
        assertThrows(UserError.class, () -> wp(Map.of("antithetical", true)));
        assertThrows(UserError.class, () -> wp(Map.of("antithetic", "maybe")));
        assertThrows(UserError.class, () -> wp(Map.of("precision", "half")));
        assertThrows(UserError.class, () -> wp(Map.of("sigma", 0)));
    }
}
