package org.creditlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.creditlab.experiment.ConfigKeys;
import org.creditlab.experiment.ConfigResolver;
import org.creditlab.rules.RuleRegistry;

/**
 * An axis's {@code "when"}: the axis applies only to cells whose values match, e.g.
 * {@code {"rule": ["np", "wp"]}} for a sigma that only perturbation rules take. A key's value is the
 * cell's own (an earlier axis), else the base config's, else the key's built-in default.
 *
 * @param required key -> the values it may have (any of them)
 */
public record Condition(Map<String, List<JsonNode>> required) {
    public static final Condition ALWAYS = new Condition(Map.of());

    public boolean holds(Map<String, JsonNode> values, JsonNode base) {
        for (var e : required.entrySet()) {
            JsonNode v = values.get(e.getKey());
            if (v == null) v = base.get(e.getKey());
            if (v == null) {
                ConfigKeys.KeyInfo k = ConfigKeys.get(e.getKey());
                if (k != null) v = ConfigResolver.JSON.valueToTree(k.defaultValue());
            }
            final JsonNode value = v;
            if (value == null || e.getValue().stream().noneMatch(allowed -> same(e.getKey(), allowed, value))) return false;
        }
        return true;
    }

    private static boolean same(String key, JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.doubleValue() == b.doubleValue();
        if (key.equals("rule") && a.isTextual() && b.isTextual()) {
            // an alias names the same rule (nodepert = np)
            try {
                return RuleRegistry.get(a.asText()).name().equals(RuleRegistry.get(b.asText()).name());
            } catch (RuntimeException unknown) {
                return a.asText().equals(b.asText());
            }
        }
        return a.equals(b);
    }

    @Override public String toString() { return required.isEmpty() ? "" : "when " + required; }
}
