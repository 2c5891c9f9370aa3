package org.creditlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The confidence intervals against values computed by hand (and Student's t table). */
class StatsTest {
    @Test void tQuantilesMatchTheTable() {
        // two-sided 95 %: t(0.975, df) from any statistics table
        assertEquals(12.7062, Stats.tQuantile975(1), 1e-4);
        assertEquals(4.3027, Stats.tQuantile975(2), 1e-4);
        assertEquals(3.1824, Stats.tQuantile975(3), 1e-4);
        assertEquals(2.7764, Stats.tQuantile975(4), 1e-4);
        assertEquals(2.2622, Stats.tQuantile975(9), 1e-4);
        assertEquals(2.0452, Stats.tQuantile975(29), 1e-4);
    }

    @Test void meanAndIntervalOfThreeSeeds() {
        // 80, 82, 84: mean 82, s = sqrt((4 + 0 + 4) / 2) = 2, half-width = 4.3027 * 2 / sqrt(3) = 4.9683
        Stats s = Stats.of(List.of(80.0, 82.0, 84.0));
        assertEquals(3, s.n());
        assertEquals(82.0, s.mean(), 1e-12);
        assertEquals(2.0, s.sd(), 1e-12);
        assertEquals(82.0 - 4.9683, s.ciLow(), 1e-4);
        assertEquals(82.0 + 4.9683, s.ciHigh(), 1e-4);
    }

    @Test void meanAndIntervalOfFourValues() {
        // 1, 2, 3, 4: mean 2.5, s = sqrt(5/3) = 1.290994, half-width = 3.182446 * 1.290994 / 2 = 2.054260
        Stats s = Stats.of(List.of(1.0, 2.0, 3.0, 4.0));
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(1.290994, s.sd(), 1e-6);
        assertEquals(2.054260, s.halfWidth(), 1e-5);
    }

    @Test void oneValueHasNoIntervalAndMissingValuesAreLeftOut() {
        Stats one = Stats.of(List.of(90.0));
        assertEquals(1, one.n());
        assertEquals(90.0, one.mean());
        assertTrue(Double.isNaN(one.ciLow()) && Double.isNaN(one.ciHigh()));
        java.util.List<Double> withNull = new java.util.ArrayList<>(java.util.Arrays.asList(80.0, null, 84.0, Double.NaN));
        Stats two = Stats.of(withNull);
        assertEquals(2, two.n());
        // 80, 84: s = 2 * sqrt(2) = 2.828427, half-width = 12.7062 * 2.828427 / sqrt(2) = 25.4124
        assertEquals(25.4124, two.halfWidth(), 1e-3);
        assertEquals(0, Stats.of(List.of()).n());
    }
}
