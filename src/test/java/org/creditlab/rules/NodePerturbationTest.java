package org.creditlab.rules;

import static org.creditlab.rules.RuleTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.creditlab.UserError;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Layer;
import org.creditlab.nn.Losses;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class NodePerturbationTest {

    private static NodePerturbation np(Map<String, ?> options) {
        return (NodePerturbation) RuleRegistry.get("np").create(new RuleOptions("np", options));
    }

    /**
     * Averages {@code calls × copies} independent draws: with per-example noise, the estimate on the batch
     * tiled {@code copies} times is exactly the mean of {@code copies} single-draw estimates on the batch
     * (same batch-mean gradient, independent ξ per row), which is far cheaper than separate calls.
     */
    private static void assertAlignedWithBackprop(Network net, Batch batch, LearningRule rule, int calls, int copies,
                                                  double minCos) {
        Updates est = average(rule, net, replicate(batch, copies), RuleState.empty(), calls, 1_000);
        Updates bp = Backprop.gradient(net, batch);
        for (Param p : net.params()) {
            double cos = cosine(est.get(p.name()), bp.get(p.name()));
            assertTrue(cos > minCos, p.name() + ": cosine " + cos + " to the backprop gradient");
            double ratio = est.get(p.name()).norm2Number().doubleValue() / bp.get(p.name()).norm2Number().doubleValue();
            assertEquals(1.0, ratio, 0.15, p.name() + ": norm ratio to backprop");
        }
    }

    @Test void averagedEstimatePointsAlongTheGradientMse() {
        Network net = net(5, List.of(4), 3, Activation.TANH, Activation.SIGMOID, new MeanSquaredError(), true,
                DataType.DOUBLE, 11);
        Batch batch = batch(3, 5, 3, DataType.DOUBLE, 12);
        assertAlignedWithBackprop(net, batch, np(Map.of()), 20, 1000, 0.99);   // 20000 draws
    }

    @Test void averagedEstimatePointsAlongTheGradientCrossEntropyNoisyPresynaptic() {
        Network net = net(5, List.of(4), 3, Activation.TANH, Activation.SOFTMAX, new SoftmaxCrossEntropy(), true,
                DataType.DOUBLE, 21);
        Batch batch = batch(3, 5, 3, DataType.DOUBLE, 22);
        assertAlignedWithBackprop(net, batch, np(Map.of("presynaptic", "noisy")), 20, 4000, 0.99);   // 80000 draws
    }

    @Test void sumReductionIsBTimesTheMean() {
        Network net = net(5, List.of(4), 3, Activation.TANH, Activation.SIGMOID, new MeanSquaredError(), true,
                DataType.DOUBLE, 31);
        Batch batch = batch(4, 5, 3, DataType.DOUBLE, 32);
        Updates mean = np(Map.of()).compute(net, batch, RuleState.empty(), ctx(0, 5));
        Updates sum = np(Map.of("reduce", "sum")).compute(net, batch, RuleState.empty(), ctx(0, 5));
        for (Param p : net.params()) {
            assertTrue(sum.get(p.name()).equalsWithEps(mean.get(p.name()).mul(4.0), 1e-9), p.name());
        }
    }

    @Test void floatAndDoublePrecisionAgreeForTheSameNoise() {
        Network net = net(5, List.of(4), 3, Activation.TANH, Activation.SOFTMAX, new SoftmaxCrossEntropy(), true,
                DataType.FLOAT, 41);
        Batch batch = batch(4, 5, 3, DataType.FLOAT, 42);
        for (int draw = 0; draw < 5; draw++) {
            Updates f = np(Map.of("precision", "float")).compute(net, batch, RuleState.empty(), ctx(draw, 100 + draw));
            Updates d = np(Map.of("precision", "double")).compute(net, batch, RuleState.empty(), ctx(draw, 100 + draw));
            for (Param p : net.params()) {
                assertEquals(DataType.FLOAT, f.get(p.name()).dataType());
                assertEquals(DataType.FLOAT, d.get(p.name()).dataType());
                double cos = cosine(f.get(p.name()), d.get(p.name()));
                assertTrue(cos > 0.99, p.name() + " draw " + draw + ": cosine " + cos);
            }
            assertEquals(d.loss(), f.loss(), 1e-5);
        }
    }

    @Test void lossIsTheCleanBatchMeanLoss() {
        Network net = net(5, List.of(4), 3, Activation.RELU, Activation.SIGMOID, new MeanSquaredError(), true,
                DataType.DOUBLE, 51);
        Batch batch = batch(4, 5, 3, DataType.DOUBLE, 52);
        Updates u = np(Map.of()).compute(net, batch, RuleState.empty(), ctx(0, 1));
        assertEquals(Backprop.gradient(net, batch).loss(), u.loss(), 1e-12);
    }

    @Test void sharedNoiseWithOneExampleEqualsPerExampleNoise() {
        Network net = net(5, List.of(4), 3, Activation.TANH, Activation.SIGMOID, new MeanSquaredError(), true,
                DataType.DOUBLE, 61);
        Batch batch = batch(1, 5, 3, DataType.DOUBLE, 62);
        Updates a = np(Map.of("noise", "shared")).compute(net, batch, RuleState.empty(), ctx(0, 9));
        Updates b = np(Map.of()).compute(net, batch, RuleState.empty(), ctx(0, 9));
        for (Param p : net.params()) assertTrue(a.get(p.name()).equalsWithEps(b.get(p.name()), 1e-12), p.name());
    }

    @Test void sharedNoiseUsesOneBatchScalarTimesMeanPresynapticActivity() {
        // HEAD nodepert: g_W = (δL̄/σ²) ξ ⊗ mean_b h_{l-1,b}, so every row of g_W0 is mean_b x_b[i] times the
        // same vector; g_W0 therefore has rank one and its rows are proportional to the mean input.
        Network net = net(5, List.of(4), 3, Activation.TANH, Activation.SIGMOID, new MeanSquaredError(), true,
                DataType.DOUBLE, 71);
        Batch batch = batch(4, 5, 3, DataType.DOUBLE, 72);
        Updates u = np(Map.of("noise", "shared")).compute(net, batch, RuleState.empty(), ctx(0, 3));
        INDArray g = u.get(Param.weightName(0));
        INDArray gb = u.get(Param.biasName(0));
        INDArray meanX = batch.x().mean(true, 0);
        INDArray expected = meanX.transpose().mmul(gb);
        assertTrue(g.equalsWithEps(expected, 1e-9 * g.norm2Number().doubleValue() + 1e-300));
    }

    @Test void weightNormRescalesEveryColumnToTheInitStd() {
        Network net = net(6, List.of(5, 4), 3, Activation.RELU, Activation.SIGMOID, new MeanSquaredError(), true,
                DataType.DOUBLE, 81);
        for (Layer layer : net.layers()) layer.weight().muli(3.7);               // drift away from the init scale
        INDArray secondBefore = net.layer(1).weight().dup();
        NodePerturbation first = np(Map.of("weight_norm", "first"));
        first.afterStep(net, RuleState.empty(), ctx(0, 1));
        assertColumnsHaveRms(net.layer(0), Math.sqrt(2.0 / (6 + 5)));
        assertEquals(secondBefore, net.layer(1).weight());                         // "first" leaves the rest alone
        np(Map.of("weight_norm", "all")).afterStep(net, RuleState.empty(), ctx(0, 1));
        assertColumnsHaveRms(net.layer(1), Math.sqrt(2.0 / (5 + 4)));
        assertColumnsHaveRms(net.layer(2), Math.sqrt(2.0 / (4 + 3)));
    }

    private static void assertColumnsHaveRms(Layer layer, double std) {
        INDArray w = layer.weight();
        for (int j = 0; j < w.columns(); j++) {
            INDArray col = w.getColumn(j);
            double rms = Math.sqrt(col.mul(col).meanNumber().doubleValue());
            assertEquals(std, rms, 1e-9, "column " + j);
        }
    }

    @Test void optionsAreValidated() {
        assertThrows(UserError.class, () -> np(Map.of("sigmaa", 1e-4)));
        assertThrows(UserError.class, () -> np(Map.of("noise", "per-batch")));
        assertThrows(UserError.class, () -> np(Map.of("presynaptic", "dirty")));
        assertThrows(UserError.class, () -> np(Map.of("weight_norm", "some")));
        assertThrows(UserError.class, () -> np(Map.of("sigma", -1)));
        Network fc = RuleTestSupport.net(4, List.of(3), 2, Activation.RELU, Activation.SIGMOID, Losses.byName("mse"), true, DataType.FLOAT, 1);
        assertEquals(1e-5, np(Map.of("sigma", "1e-5")).sigma(fc));
        assertEquals(1e-4, np(Map.of()).sigma(fc), "nodepert's model/fc.py default");
    }
}
