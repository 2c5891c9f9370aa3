package org.creditlab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * nodepert's crash criterion (experiments/crash_statistics.py): test accuracy more than {@code threshold}
 * points below its running maximum. Reports each crash once, then re-arms when accuracy recovers.
 */
public final class CrashDetector {
    private final double threshold;
    private double runningMax = Double.NEGATIVE_INFINITY;
    private boolean crashed;

    /** @param runningMax the best accuracy so far when resuming, or null */
    public CrashDetector(double threshold, Double runningMax) {
        this.threshold = threshold;
        if (runningMax != null) this.runningMax = runningMax;
    }

    /** The crash event for this evaluation, or null. */
    public Map<String, Object> check(EpochMetrics m) {
        double acc = m.testAccuracy();
        runningMax = Math.max(runningMax, acc);
        boolean below = acc < runningMax - threshold;
        if (below && !crashed) {
            crashed = true;
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", "crash");
            e.put("epoch", m.epoch());
            e.put("step", m.step());
            e.put("test_accuracy", acc);
            e.put("running_max", runningMax);
            return e;
        }
        if (!below) crashed = false;
        return null;
    }
}
