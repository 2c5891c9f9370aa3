package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.creditlab.UserError;
import org.junit.jupiter.api.Test;

/** Every rule option is declared once, and the declarations are what RuleOptions checks. */
class RuleDeclarationsTest {
    @Test void everyRuleReadsExactlyTheOptionsItDeclares() {
        for (RuleInfo r : RuleRegistry.all()) {
            RuleOptions o = RuleOptions.none(r.name());
            r.create(o);
            Set<String> declared = new TreeSet<>(r.options().stream().map(RuleOption::name).toList());
            assertEquals(declared, new TreeSet<>(o.keysRead()), r.name() + " reads other options than it declares");
            for (RuleOption opt : r.options()) assertFalse(opt.doc().isBlank(), r.name() + "." + opt.name());
        }
    }

    @Test void everyDeclaredDefaultPassesItsOwnCheck() {
        for (RuleInfo r : RuleRegistry.all()) {
            Map<String, Object> given = new LinkedHashMap<>();
            for (RuleOption opt : r.options()) {
                boolean unset = opt.defaultValue() == null || opt.defaultValue() instanceof Double d && d.isNaN();
                if (!unset) given.put(opt.name(), opt.defaultValue());
            }
            r.create(new RuleOptions(r.name(), given));
        }
    }

    @Test void anUnknownOptionIsOneLineNamingTheValidOnes() {
        UserError e = assertThrows(UserError.class, () -> new RuleOptions("np", Map.of("sigmaa", 1)));
        assertEquals("unknown option sigmaa for rule np (it takes sigma, noise, reduce, presynaptic, precision, weight_norm;"
                + " see 'credit rules np')", e.getMessage());
        UserError none = assertThrows(UserError.class, () -> new RuleOptions("fa", Map.of("b_lr", 1)));
        assertTrue(none.getMessage().endsWith("(it takes none)"), none.getMessage());
    }

    @Test void badValuesNameTheOptionTheValueAndWhatIsExpected() {
        assertEquals("rule option 'keep' of pepita must be a number in (0, 1], got 1.5",
                assertThrows(UserError.class, () -> new RuleOptions("pepita", Map.of("keep", 1.5))).getMessage());
        assertEquals("rule option 'noise' of np must be one of per-example, shared, got 'some'",
                assertThrows(UserError.class, () -> new RuleOptions("np", Map.of("noise", "some"))).getMessage());
        assertEquals("rule option 'mirror_every' of pepita must be a whole number >= 0, got 2.5",
                assertThrows(UserError.class, () -> new RuleOptions("pepita", Map.of("mirror_every", 2.5))).getMessage());
        assertThrows(UserError.class, () -> new RuleOptions("sdd", Map.of("etas", "0.1,x")));
        assertThrows(UserError.class, () -> new RuleOptions("kp", Map.of("decay", -1)));
        assertThrows(UserError.class, () -> new RuleOptions("sa", Map.of("b_lr", "NaN")));
        assertEquals(List.of(0.1, 0.2), new RuleOptions("sdd", Map.of("etas", "0.1,0.2")).getDoubles("etas"));
    }

    @Test void readingAnUndeclaredOptionIsABugNotASilentDefault() {
        RuleOptions o = RuleOptions.none("np");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> o.getDouble("conv_sigma"));
        assertTrue(e.getMessage().contains("does not declare"), e.getMessage());
        // the earlier API's fallback must agree with the declaration
        assertEquals(1e-4, o.getPositive("sigma", 1e-4));
        assertThrows(IllegalStateException.class, () -> o.getDouble("sigma", 1e-3));
    }
}
