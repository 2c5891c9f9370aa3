package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.creditlab.data.DataRequest;
import org.creditlab.data.Datasets;
import org.creditlab.data.LoadedDataset;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.Network;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.nn.Param;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Weight-optimisation initialisation and a short online learning run on real Fashion-MNIST. */
class SddLearningTest {
    /** Fashion-MNIST training-set pixel moments (mean 0.28604, mean square 0.20645) as presynaptic rates. */
    static final Map<String, Object> FMNIST = Map.of("input_mean", 0.2 * 0.28604, "input_sq", 0.04 * 0.20645);

    static LoadedDataset data;

    @BeforeAll static void load() {
        data = Datasets.load("fmnist", new DataRequest(null, false, false, null));
    }

    static Network net(List<Integer> hidden, long seed) {
        return new NetworkSpec("fc", new long[] {784}, hidden, 10, Activation.SIGMOID, Activation.SIGMOID,
                Initializer.XAVIER_NORMAL, true, new MeanSquaredError(), DataType.FLOAT).build(RuleTestSupport.rng(seed));
    }

    static INDArray rows(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    @Test void weightOptimisationGivesBasalPotentialsMean3Sd3OnRealInputs() {
        Sdd rule = SddNonspikingTest.rule(FMNIST);
        Network net = net(List.of(500), 11);
        rule.init(net, RuleTestSupport.rng(5));
        INDArray x = rows(data.train().features(), 0, 2000).castTo(DataType.DOUBLE).muli(0.2);
        INDArray basal = x.mmul(net.layer(0).weight().castTo(DataType.DOUBLE))
                .addiRowVector(net.layer(0).bias().castTo(DataType.DOUBLE));
        double mean = basal.meanNumber().doubleValue(), sd = basal.stdNumber().doubleValue();
        assertEquals(3.0, mean, 0.5, "mean basal potential");
        assertEquals(3.0, sd, 0.75, "sd of basal potential");
        // biases 0.8 ± 0.001, Y zero-mean with the output layer's W_sd
        INDArray b = net.layer(0).bias();
        assertEquals(0.8, b.meanNumber().doubleValue(), 2e-4);
        assertEquals(0.001, b.stdNumber().doubleValue(), 2e-4);
        double[] law = Sdd.weightLaw(500, 0.15, 0.045);
        assertEquals(law[1], rule.init(net(List.of(500), 12), RuleTestSupport.rng(6)).get("layer0.Y").stdNumber().doubleValue(), 0.05 * law[1]);
    }

    @Test void referenceMomentsHitTheTargetForIidInputsWithThoseMoments() {
        // the reference formula: iid inputs of mean ν V_avg and second moment ν² V_sm give V ~ (3, 3)
        double[] law = Sdd.weightLaw(500, 0.15, 0.045);
        double mean = 500 * law[0] * 0.15 + 0.8;
        double second = 500 * (law[1] * law[1] + law[0] * law[0]) * 0.045 + 500.0 * 499 * law[0] * law[0] * 0.15 * 0.15
                + 2 * 500 * law[0] * 0.15 * 0.8 + 0.64;
        assertEquals(3.0, mean, 1e-9);
        assertEquals(3.0, Math.sqrt(second - mean * mean), 1e-9);
    }

    @Test void onlineNonspikingLearningBeatsChanceQuickly() {
        Sdd rule = SddNonspikingTest.rule(FMNIST);
        Network net = net(List.of(500), 21);
        RuleState state = rule.init(net, RuleTestSupport.rng(22));
        INDArray x = data.train().features();
        int[] labels = data.train().labels();
        INDArray testX = rows(x, 50_000, 51_000);
        int[] testLabels = java.util.Arrays.copyOfRange(labels, 50_000, 51_000);
        double before = accuracy(rule, net, state, testX, testLabels);
        int steps = 600;
        for (int i = 0; i < steps; i++) {
            Batch b = new Batch(rows(x, i, i + 1), Nd4j.zeros(DataType.FLOAT, 1, 10), new int[] {labels[i]});
            StepContext ctx = RuleTestSupport.ctx(i, i);
            Updates u = rule.compute(net, b, state, ctx);
            for (Param p : net.params()) p.value().subi(u.get(p.name()));      // SGD with lr 1
            rule.afterStep(net, state, ctx);
        }
        double after = accuracy(rule, net, state, testX, testLabels);
        assertTrue(after > 40, "accuracy after " + steps + " online steps: " + after + "% (before " + before + "%)");
        Map<String, Double> d = rule.diagnostics(net, state);
        assertTrue(d.get("sdd.angle_hidden_bp") < 90, "E_hidden vs backprop: " + d);
        assertTrue(Double.isFinite(d.get("sdd.max_eig")));
    }

    static double accuracy(Sdd rule, Network net, RuleState state, INDArray x, int[] labels) {
        INDArray pred = rule.predict(net, null, x, state).argMax(1);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) if (pred.getInt(i) == labels[i]) correct++;
        return 100.0 * correct / labels.length;
    }
}
