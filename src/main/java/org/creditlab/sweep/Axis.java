package org.creditlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One dimension of a sweep: a config key or rule option with the values of a {@code grid} axis or the
 * distribution of a {@code random} one, and the condition under which it applies.
 */
public record Axis(String key, List<JsonNode> values, Distribution distribution, Condition when) {
    public static Axis grid(String key, List<JsonNode> values, Condition when) {
        return new Axis(key, List.copyOf(values), null, when);
    }

    public static Axis random(String key, Distribution d, Condition when) {
        return new Axis(key, List.of(), d, when);
    }

    public boolean isRandom() { return distribution != null; }
}
