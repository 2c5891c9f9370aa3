package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.Network;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.nn.Param;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** PSP kernel, Wald phase lengths, Poisson spikes, seeded reproducibility of both modes. */
class SddSpikingTest {
    @Test void pspKernelMatchesTheFormula() {
        for (double t : new double[] {1, 2, 5, 10}) {
            double expected = (Math.exp(-t / 10.0) - Math.exp(-t / 3.0)) / (10.0 - 3.0);
            assertEquals(expected, Sdd.kappa(t), 1e-15);
        }
        assertEquals(0.0, Sdd.kappa(0), 0.0);
        assertEquals((Math.exp(-0.1) - Math.exp(-1 / 3.0)) / 7, Sdd.kappa(1), 1e-15);
    }

    @Test void waldSamplerAndPhaseLengths() {
        SplittableRandom r = new SplittableRandom(42);
        int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) {
            double w = Sdd.wald(r, 2, 1);
            sum += w;
            sumSq += w * w;
        }
        double mean = sum / n, var = sumSq / n - mean * mean;
        assertEquals(2.0, mean, 0.03, "Wald(2,1) mean");
        assertEquals(8.0, var, 0.8, "Wald(2,1) variance mu^3/lambda");   // heavy tail: loose tolerance

        // E floor(W) by integrating the inverse-Gaussian density over [k, k+1)
        double eFloor = 0;
        for (int k = 1; k < 400; k++) eFloor += k * integrate(k, k + 1);
        double phases = 0;
        for (int i = 0; i < n; i++) phases += Sdd.phaseLength(r);
        assertEquals(50 + eFloor, phases / n, 0.03, "phase length mean");
        assertTrue(eFloor > 1.4 && eFloor < 1.6, "E floor W = " + eFloor);
    }

    private static double density(double x) {
        double mu = 2, lambda = 1;
        return Math.sqrt(lambda / (2 * Math.PI * x * x * x)) * Math.exp(-lambda * (x - mu) * (x - mu) / (2 * mu * mu * x));
    }

    private static double integrate(double a, double b) {   // Simpson, 200 panels
        int m = 200;
        double h = (b - a) / m, s = density(a) + density(b);
        for (int i = 1; i < m; i++) s += (i % 2 == 1 ? 4 : 2) * density(a + i * h);
        return s * h / 3;
    }

    @Test void poissonCountsHaveTheRate() {
        SplittableRandom r = new SplittableRandom(9);
        int n = 400_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) {
            int k = SddSpiking.poissonCount(0.2, r.nextDouble());
            sum += k;
            sumSq += k * k;
        }
        double mean = sum / n;
        assertEquals(0.2, mean, 0.003);
        assertEquals(0.2, sumSq / n - mean * mean, 0.005);
        assertEquals(0, SddSpiking.poissonCount(0.2, Math.exp(-0.2) - 1e-12));
        assertEquals(1, SddSpiking.poissonCount(0.2, Math.exp(-0.2) + 1e-12));
    }

    static Network small(long seed) {
        return new NetworkSpec("fc", new long[] {12}, List.of(8), 3, Activation.SIGMOID, Activation.SIGMOID,
                Initializer.XAVIER_NORMAL, true, new MeanSquaredError(), DataType.DOUBLE).build(RuleTestSupport.rng(seed));
    }

    static Batch example() {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 12);
        for (int i = 0; i < 12; i++) x.putScalar(0, i, i / 11.0);
        return new Batch(x, Nd4j.create(new double[][] {{0, 0, 1}}), new int[] {2});
    }

    private static boolean same(Updates a, Updates b, Network net) {
        for (Param p : net.params()) if (!a.get(p.name()).equals(b.get(p.name()))) return false;
        return true;
    }

    @Test void seededReproducibilityInBothModes() {
        for (String mode : List.of("nonspiking", "spiking")) {
            Sdd rule = SddNonspikingTest.rule(Map.of("mode", mode));
            Network net = small(1);
            RuleState st = rule.init(net, RuleTestSupport.rng(2));
            Network net2 = small(1);
            RuleState st2 = SddNonspikingTest.rule(Map.of("mode", mode)).init(net2, RuleTestSupport.rng(2));
            assertTrue(net.layer(0).weight().equals(net2.layer(0).weight()) && st.get("layer0.Y").equals(st2.get("layer0.Y")));
            Updates a = RuleTestSupport.snapshot(rule.compute(net, example(), st, RuleTestSupport.ctx(0, 100)));
            Updates b = RuleTestSupport.snapshot(rule.compute(net, example(), st, RuleTestSupport.ctx(0, 100)));
            assertTrue(same(a, b, net), mode + ": same seed, same update");
            Updates c = RuleTestSupport.snapshot(rule.compute(net, example(), st, RuleTestSupport.ctx(0, 101)));
            if (mode.equals("spiking")) assertFalse(same(a, c, net), "spiking: another seed, another update");
            else assertTrue(same(a, c, net), "non-spiking is deterministic");
        }
    }

    @Test void spikingUpdateAgreesWithTheNonspikingOneOnAverage() {
        // Averaged over many spike trains the spiking update points where the rate (non-spiking) one does.
        Network net = small(4);
        Sdd spiking = SddNonspikingTest.rule(Map.of("mode", "spiking"));
        RuleState st = spiking.init(net, RuleTestSupport.rng(5));
        Sdd rates = SddNonspikingTest.rule(Map.of());
        Updates ref = rates.compute(net, example(), st, RuleTestSupport.ctx(0, 1));
        Updates mean = RuleTestSupport.average(spiking, net, example(), st, 40, 1000);
        double cos = RuleTestSupport.cosine(mean.get("layer1.W"), ref.get("layer1.W"));
        assertTrue(cos > 0.8, "output-layer cosine spiking vs rate " + cos);
        INDArray out = spiking.predict(net, null, example().x(), st);
        INDArray out2 = spiking.predict(net, null, example().x(), st);
        assertTrue(out.equals(out2), "test phase is seeded");
        assertEquals(rates.predict(net, null, example().x(), st).argMax(1).getInt(0), out.argMax(1).getInt(0));
    }

    @Test void conductanceDynamicsReachTheSteadyStatesOfTheRateModel() {
        // zero weights: B = b, so the hidden soma relaxes to k_B b and the output to k_D b (forward) and to
        // (g_D b + g_E E_E + g_I E_I)/(g_L + g_D + 1) (target), whatever the spikes; the output bias update then
        // equals the non-spiking one up to the geometric transients (0.3^30, 0.7^30).
        Network net = small(6);
        for (int l = 0; l < 2; l++) net.layer(l).weight().assign(0.0);
        net.layer(1).bias().assign(Nd4j.create(new double[][] {{0.5, -1.0, 2.0}}));
        Sdd spiking = SddNonspikingTest.rule(Map.of("mode", "spiking", "weight_init", "keep"));
        RuleState st = spiking.init(net, RuleTestSupport.rng(7));
        Updates s = spiking.compute(net, example(), st, RuleTestSupport.ctx(0, 3));
        Updates r = SddNonspikingTest.rule(Map.of("weight_init", "keep")).compute(net, example(), st, RuleTestSupport.ctx(0, 3));
        INDArray bs = s.get("layer1.b"), br = r.get("layer1.b");
        for (int j = 0; j < 3; j++) assertEquals(br.getDouble(0, j), bs.getDouble(0, j), 1e-4 * Math.abs(br.getDouble(0, j)) + 1e-9);
        assertEquals(r.loss(), s.loss(), 1e-6);
    }
}
