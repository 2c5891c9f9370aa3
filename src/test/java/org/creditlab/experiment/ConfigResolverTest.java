package org.creditlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.creditlab.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {
    @TempDir Path tmp;

    private static ObjectNode overrides(String... sets) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (String s : sets) ConfigResolver.applySet(o, s);
        return o;
    }

    @Test void defaultsWhenNothingIsGiven() {
        RunConfig c = ConfigResolver.resolve(null, overrides());
        RunConfig d = new RunConfig();
        assertEquals(d.rule, c.rule);
        assertEquals(d.lr, c.lr);
        assertEquals(d.hidden, c.hidden);
    }

    @Test void fileOverridesDefaultsAndFlagsOverrideFile() throws Exception {
        Path f = tmp.resolve("c.json");
        Files.writeString(f, "{\"rule\": \"pepita\", \"lr\": 0.5, \"epochs\": 3, \"hidden\": [64, 32], \"rule_options\": {\"mirror_every\": 1}}");
        RunConfig c = ConfigResolver.resolve(f, overrides("epochs=7"));
        assertEquals(0.5, c.lr);
        assertEquals(7, c.epochs);
        assertEquals(List.of(64, 32), c.hidden);
        assertEquals(1, ((Number) c.ruleOptions.get("mirror_every")).intValue());
    }

    @Test void anotherRuleOnTheCommandLineDropsTheFilesRuleOptions() throws Exception {
        Path f = tmp.resolve("np.json");
        Files.writeString(f, "{\"rule\": \"np\", \"rule_options\": {\"sigma\": 1e-5}, \"lr\": 0.01}");
        ObjectNode o = overrides();
        o.put("rule", "bp");
        RunConfig c = ConfigResolver.resolve(f, o);
        assertEquals("bp", c.rule);
        assertTrue(c.ruleOptions.isEmpty(), c.ruleOptions.toString());
        assertEquals(0.01, c.lr);
        ObjectNode same = overrides();
        same.put("rule", "nodepert");
        assertEquals(1e-5, ((Number) ConfigResolver.resolve(f, same).ruleOptions.get("sigma")).doubleValue());
    }

    @Test void setParsesJsonNumbersBooleansAndCommaLists() {
        RunConfig c = ConfigResolver.resolve(null, overrides("weight_decay=1e-4", "bias=false", "hidden=128,64",
                "lr-milestones=[2,4]", "scaling=standardize"));
        assertEquals(1e-4, c.weightDecay);
        assertFalse(c.bias);
        assertEquals(List.of(128, 64), c.hidden);
        assertEquals(List.of(2, 4), c.lrMilestones);
        assertEquals("standardize", c.scaling);
    }

    @Test void unknownSetKeysBecomeRuleOptions() {
        ObjectNode o = overrides("sigma=1e-5", "rule_options.noise=shared");
        assertEquals(1e-5, o.get("rule_options").get("sigma").asDouble());
        assertEquals("shared", o.get("rule_options").get("noise").asText());
    }

    @Test void unknownKeyInFileIsAUserError() throws Exception {
        Path f = tmp.resolve("c.json");
        Files.writeString(f, "{\"learning_rate\": 0.5}");
        UserError e = assertThrows(UserError.class, () -> ConfigResolver.resolve(f, overrides()));
        assertTrue(e.getMessage().contains("learning_rate"), e.getMessage());
    }

    @Test void malformedFileIsAUserError() throws Exception {
        Path f = tmp.resolve("c.json");
        Files.writeString(f, "{\"lr\": ");
        UserError e = assertThrows(UserError.class, () -> ConfigResolver.resolve(f, overrides()));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test void missingFileIsAUserError() {
        UserError e = assertThrows(UserError.class, () -> ConfigResolver.resolve(tmp.resolve("nope.json"), overrides()));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test void wrongTypeIsAUserErrorNamingTheKey() {
        UserError e = assertThrows(UserError.class, () -> ConfigResolver.resolve(null, overrides("epochs=lots")));
        assertTrue(e.getMessage().contains("epochs"), e.getMessage());
    }

    @Test void rangeChecks() {
        assertThrows(UserError.class, () -> ConfigResolver.resolve(null, overrides("epochs=0")));
        assertThrows(UserError.class, () -> ConfigResolver.resolve(null, overrides("lr=-1")));
        assertThrows(UserError.class, () -> ConfigResolver.resolve(null, overrides("hidden=[0]")));
        assertThrows(UserError.class, () -> ConfigResolver.resolve(null, overrides("rule=nope")));
    }

    @Test void resolvedConfigRoundTripsThroughJson() throws Exception {
        RunConfig c = ConfigResolver.resolve(null, overrides("rule=np", "lr=0.25", "sigma=0.001"));
        Path f = tmp.resolve("resolved.json");
        Files.writeString(f, ConfigResolver.toJson(c));
        RunConfig again = ConfigResolver.resolve(f, overrides());
        assertEquals(ConfigResolver.toJson(c), ConfigResolver.toJson(again));
    }
}
