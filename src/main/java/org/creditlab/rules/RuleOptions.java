package org.creditlab.rules;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.creditlab.UserError;

/**
 * A rule's own settings (the config's {@code rule_options}, or {@code --set sigma=1e-5}). Each read
 * records the key, so that after a rule is built any option nobody asked for is reported as a typo
 * instead of being silently ignored.
 */
public final class RuleOptions {
    private final String rule;
    private final Map<String, Object> values;
    private final Set<String> read = new LinkedHashSet<>();

    public RuleOptions(String rule, Map<String, ?> values) {
        this.rule = rule;
        this.values = new LinkedHashMap<>(values == null ? Map.of() : values);
    }

    public static RuleOptions none(String rule) { return new RuleOptions(rule, Map.of()); }

    public double getDouble(String key, double fallback) {
        Object v = take(key);
        if (v == null) return fallback;
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new UserError("rule option '" + key + "' of " + rule + " must be a number, got '" + v + "'");
        }
    }

    /** A finite number greater than zero (noise scales, step sizes). */
    public double getPositive(String key, double fallback) {
        double d = getDouble(key, fallback);
        if (!(d > 0) || Double.isInfinite(d)) {
            throw new UserError("rule option '" + key + "' of " + rule + " must be a positive number, got " + d);
        }
        return d;
    }

    public int getInt(String key, int fallback) {
        double d = getDouble(key, fallback);
        if (d != Math.rint(d)) throw new UserError("rule option '" + key + "' of " + rule + " must be a whole number, got " + d);
        return (int) d;
    }

    public boolean getBoolean(String key, boolean fallback) {
        Object v = take(key);
        if (v == null) return fallback;
        if (v instanceof Boolean b) return b;
        String s = v.toString().trim().toLowerCase();
        if (s.equals("true") || s.equals("yes") || s.equals("1")) return true;
        if (s.equals("false") || s.equals("no") || s.equals("0")) return false;
        throw new UserError("rule option '" + key + "' of " + rule + " must be true or false, got '" + v + "'");
    }

    /** A string that must be one of {@code allowed}. */
    public String getChoice(String key, String fallback, Collection<String> allowed) {
        Object v = take(key);
        if (v == null) return fallback;
        String s = v.toString().trim();
        if (!allowed.contains(s)) {
            throw new UserError("rule option '" + key + "' of " + rule + " must be one of " + allowed + ", got '" + s + "'");
        }
        return s;
    }

    public String getChoice(String key, String fallback, String... allowed) {
        return getChoice(key, fallback, List.of(allowed));
    }

    /** A list of numbers, from a JSON array or a comma-separated string. */
    public List<Double> getDoubles(String key, List<Double> fallback) {
        Object v = take(key);
        if (v == null) return fallback;
        try {
            if (v instanceof List<?> list) return list.stream().map(o -> Double.parseDouble(o.toString())).toList();
            return java.util.Arrays.stream(v.toString().split(",")).map(String::trim).map(Double::parseDouble).toList();
        } catch (NumberFormatException e) {
            throw new UserError("rule option '" + key + "' of " + rule + " must be a list of numbers, got '" + v + "'");
        }
    }

    public boolean has(String key) { return values.containsKey(key); }

    /** Throws a {@link UserError} naming any supplied option that the rule never read. */
    public void requireAllUsed() {
        Set<String> unknown = new LinkedHashSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new UserError("unknown option" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " for rule " + rule + (read.isEmpty() ? " (it takes none)" : " (it takes " + String.join(", ", read) + ")"));
        }
    }

    /** The option names the rule asked for so far (after construction: every option it understands). */
    public java.util.List<String> keysRead() { return java.util.List.copyOf(read); }

    /** The options as supplied (for the resolved config). */
    public Map<String, Object> asMap() { return Map.copyOf(values); }

    private Object take(String key) {
        read.add(key);
        return values.get(key);
    }
}
