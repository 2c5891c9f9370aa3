package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.creditlab.UserError;
import org.junit.jupiter.api.Test;

class RuleOptionsTest {
    @Test void positiveOptionsRejectZeroNegativeAndInfinity() {
        for (Object bad : new Object[] {0, -1e-4, "Infinity"}) {
            UserError e = assertThrows(UserError.class,
                    () -> new RuleOptions("np", Map.of("sigma", bad)).getPositive("sigma", 1e-4));
            assertTrue(e.getMessage().contains("'sigma' of np must be a positive number"), e.getMessage());
        }
        assertEquals(2e-5, new RuleOptions("np", Map.of("sigma", "2e-5")).getPositive("sigma", 1e-4));
        assertEquals(1e-4, RuleOptions.none("np").getPositive("sigma", 1e-4));
    }

    @Test void rulesUseItForTheirScales() {
        assertThrows(UserError.class, () -> RuleRegistry.get("wm").create(new RuleOptions("wm", Map.of("input", "noise", "noise_std", 0))));
        assertThrows(UserError.class, () -> RuleRegistry.get("wp").create(new RuleOptions("wp", Map.of("sigma", "Infinity"))));
    }
}
