package org.creditlab.report;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean and 95 % confidence interval of a few runs' accuracies (one per seed): mean ± t(0.975, n−1)·s/√n with s
 * the sample standard deviation. Student's t rather than the normal quantile because n is a handful of seeds:
 * for n = 3 the factor is 4.30, not 1.96. With one value there is no interval (NaN).
 */
public record Stats(int n, double mean, double sd, double ciLow, double ciHigh) {
    public static Stats of(List<Double> values) {
        List<Double> v = values.stream().filter(x -> x != null && Double.isFinite(x)).toList();
        int n = v.size();
        if (n == 0) return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double mean = v.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n == 1) return new Stats(1, mean, Double.NaN, Double.NaN, Double.NaN);
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        double sd = Math.sqrt(ss / (n - 1));
        double half = tQuantile975(n - 1) * sd / Math.sqrt(n);
        return new Stats(n, mean, sd, mean - half, mean + half);
    }

    /** The 97.5 % quantile of Student's t with {@code df} degrees of freedom (two-sided 95 %). */
    public static double tQuantile975(int df) {
        return new TDistribution(null, df).inverseCumulativeProbability(0.975);
    }

    /** Half the interval's width, NaN when there is none. */
    public double halfWidth() { return (ciHigh - ciLow) / 2; }
}
