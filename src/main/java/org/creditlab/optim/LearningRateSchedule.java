package org.creditlab.optim;

import java.util.List;

/**
 * η as a function of the epoch (0-based). {@code milestones} are the epochs at whose start η is
 * multiplied by {@code gamma}: PEPITA's ×0.1 at epochs 60 and 90 is milestones [60, 90], gamma 0.1.
 */
public record LearningRateSchedule(double base, List<Integer> milestones, double gamma) {
    public static LearningRateSchedule constant(double base) {
        return new LearningRateSchedule(base, List.of(), 1.0);
    }

    public double at(int epoch) {
        double lr = base;
        for (int m : milestones) if (epoch >= m) lr *= gamma;
        return lr;
    }
}
