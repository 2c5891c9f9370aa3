package org.creditlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.creditlab.rules.RuleInfo;
import org.creditlab.rules.RuleRegistry;
import org.junit.jupiter.api.Test;

/**
 * A rule's defaults on networks with convolutions (its LeNet learning rate) replace its fc ones, and lose to
 * anything the user gives.
 */
class ConvDefaultsTest {
    private static RunConfig resolve(String rule, String... sets) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("rule", rule);
        for (String s : sets) ConfigResolver.applySet(o, s);
        return ConfigResolver.resolve(null, o);
    }

    private static List<RuleInfo> rulesWithConvDefaults() {
        return RuleRegistry.all().stream().filter(r -> !r.convDefaults().isEmpty()).toList();
    }

    @Test void someRulesHaveConvLearningRates() {
        assertFalse(rulesWithConvDefaults().isEmpty());
        for (RuleInfo r : rulesWithConvDefaults()) assertTrue(r.convDefaults().containsKey("lr"), r.name());
    }

    @Test void convNetworksTakeTheConvLearningRateFcNetworksTheOther() {
        for (RuleInfo r : rulesWithConvDefaults()) {
            double conv = ((Number) r.convDefaults().get("lr")).doubleValue();
            double fc = ((Number) r.configDefaults().getOrDefault("lr", new RunConfig().lr)).doubleValue();
            assertEquals(conv, resolve(r.name(), "network=lenet").lr, r.name() + " on lenet");
            assertEquals(conv, resolve(r.name(), "network=conv").lr, r.name() + " on conv");
            assertEquals(conv, resolve(r.name(), "layers=conv8k3,relu,maxpool2,fc10").lr, r.name() + " on a conv spec");
            assertEquals(fc, resolve(r.name()).lr, r.name() + " on the default fc network");
            assertEquals(fc, resolve(r.name(), "network=fc").lr, r.name() + " on fc");
            assertEquals(fc, resolve(r.name(), "layers=fc32,relu,fc10").lr, r.name() + " on an fc spec");
        }
    }

    @Test void theUsersValueWins() {
        for (RuleInfo r : rulesWithConvDefaults()) assertEquals(0.123, resolve(r.name(), "network=lenet", "lr=0.123").lr, r.name());
    }

    @Test void rulesCommandShowsThem() {
        RuleInfo r = rulesWithConvDefaults().get(0);
        StringWriter out = new StringWriter();
        picocli.CommandLine cli = org.creditlab.cli.CreditMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("rules", r.name()));
        assertTrue(out.toString().contains("on networks with convolutions instead: lr=" + r.convDefaults().get("lr")), out.toString());
    }
}
