package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/** The ziggurat sampler against the normal distribution of commons-math (an independent implementation, on the classpath through ND4J). */
class ZigguratTest {
    private static final NormalDistribution STANDARD = new NormalDistribution(0.0, 1.0);

    @Test void everyLayerHasTheSameAreaAndTheTopOneClosesAtZero() {
        double tailArea = Math.sqrt(Math.PI / 2) * Erf.erfc(Ziggurat.R / Math.sqrt(2));
        assertEquals(Ziggurat.R * Math.exp(-0.5 * Ziggurat.R * Ziggurat.R) + tailArea, Ziggurat.V, 1e-15,
                "V = base rectangle + tail");
        for (int i = 1; i < Ziggurat.LAYERS; i++) {
            double area = Ziggurat.X[i] * (Ziggurat.F[i + 1] - Ziggurat.F[i]);
            assertEquals(Ziggurat.V, area, 1e-12 * Ziggurat.V, "layer " + i);
        }
        assertEquals(1.0, Ziggurat.F[Ziggurat.LAYERS], 0.0);
    }

    @Test void passesKolmogorovSmirnovAgainstTheStandardNormal() {
        SplittableRandom r = new SplittableRandom(42);
        double[] x = new double[200_000];
        for (int i = 0; i < x.length; i++) x[i] = Ziggurat.next(r);
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(STANDARD, x);
        assertTrue(p > 1e-3, "KS p-value " + p);
    }

    /** 120 bins on [−6, 6] (edges at every 0.1, so many fall inside wedges and across layer edges). */
    @Test void histogramMatchesTheNormalByChiSquare() {
        int bins = 120;
        long[] observed = new long[bins + 2];           // + two outer bins beyond ±6
        SplittableRandom r = new SplittableRandom(7);
        int n = 4_000_000;
        for (int i = 0; i < n; i++) {
            double x = Ziggurat.next(r);
            int b = x < -6 ? 0 : x >= 6 ? bins + 1 : 1 + Math.min(bins - 1, (int) Math.floor((x + 6) * 10));
            observed[b]++;
        }
        // Merge the outer bins with their neighbours so every expected count is large enough for the test.
        double[] expected = new double[bins];
        long[] counts = new long[bins];
        for (int b = 0; b < bins; b++) {
            double lo = b == 0 ? Double.NEGATIVE_INFINITY : -6 + b * 0.1;
            double hi = b == bins - 1 ? Double.POSITIVE_INFINITY : -6 + (b + 1) * 0.1;
            expected[b] = n * (STANDARD.cumulativeProbability(hi) - STANDARD.cumulativeProbability(lo));
            counts[b] = observed[b + 1] + (b == 0 ? observed[0] : 0) + (b == bins - 1 ? observed[bins + 1] : 0);
        }
        int from = 0;
        while (expected[from] < 20) from++;
        int to = bins - 1;
        while (expected[to] < 20) to--;
        double[] e = new double[to - from + 1];
        long[] o = new long[to - from + 1];
        for (int b = 0; b < bins; b++) {
            int k = Math.max(from, Math.min(to, b)) - from;
            e[k] += expected[b];
            o[k] += counts[b];
        }
        double p = new ChiSquareTest().chiSquareTest(e, o);
        assertTrue(p > 1e-3, "chi-square p-value " + p);
    }

    @Test void theTailBeyondRHasTheRightMassAndMean() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 4_000_000;
        long count = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double x = Math.abs(Ziggurat.next(r));
            if (x > Ziggurat.R) {
                count++;
                sum += x;
            }
        }
        double p = 2 * (1 - STANDARD.cumulativeProbability(Ziggurat.R));
        double expected = n * p;
        assertEquals(expected, count, 5 * Math.sqrt(expected), "draws beyond R");
        double tailMean = STANDARD.density(Ziggurat.R) / (1 - STANDARD.cumulativeProbability(Ziggurat.R));
        // The tail's conditional std is about 0.24; 5 standard errors of ~1,000 draws.
        assertEquals(tailMean, sum / count, 5 * 0.24 / Math.sqrt(count), "mean of |x| given |x| > R");
    }

    @Test void signsAreBalancedAndIndependentOfTheMagnitude() {
        SplittableRandom r = new SplittableRandom(9);
        int n = 1_000_000;
        long positive = 0;
        long positiveAndLarge = 0;
        long large = 0;
        for (int i = 0; i < n; i++) {
            double x = Ziggurat.next(r);
            if (x > 0) positive++;
            if (Math.abs(x) > 1) {
                large++;
                if (x > 0) positiveAndLarge++;
            }
        }
        assertEquals(0.5, positive / (double) n, 5 * 0.5 / Math.sqrt(n));
        assertEquals(0.5, positiveAndLarge / (double) large, 5 * 0.5 / Math.sqrt(large));
    }
}
