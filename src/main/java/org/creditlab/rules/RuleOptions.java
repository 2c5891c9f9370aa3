package org.creditlab.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.creditlab.UserError;

/**
 * A rule's own settings (the config's {@code rule_options}, or {@code --set sigma=1e-5}), checked when built
 * against the options the rule declares ({@link RuleOption}, the rule's {@code OPTIONS} list as registered in
 * {@link RuleRegistry}): an unknown option or a bad value is a one-line {@link UserError} naming the option, the
 * value and what is expected. The getters return the given value or the declared default; reading an option
 * the rule did not declare is a bug ({@link IllegalStateException}), so an option cannot exist undeclared.
 */
public final class RuleOptions {
    private final String rule;
    private final Map<String, RuleOption> declared = new LinkedHashMap<>();
    private final Map<String, Object> given;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final java.util.Set<String> read = new java.util.LinkedHashSet<>();

    /** Options of a registered rule, checked against its declaration. */
    public RuleOptions(String rule, Map<String, ?> values) {
        this(rule, values, RuleRegistry.get(rule).options());
    }

    public RuleOptions(String rule, Map<String, ?> values, List<RuleOption> options) {
        this.rule = rule;
        for (RuleOption o : options) declared.put(o.name(), o);
        this.given = new LinkedHashMap<>(values == null ? Map.of() : values);
        List<String> unknown = new ArrayList<>();
        for (String k : given.keySet()) if (!declared.containsKey(k)) unknown.add(k);
        if (!unknown.isEmpty()) {
            throw new UserError("unknown option" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " for rule " + rule + (declared.isEmpty() ? " (it takes none)"
                            : " (it takes " + RuleOption.names(options) + "; see 'credit rules " + rule + "')"));
        }
        given.forEach((k, v) -> this.values.put(k, convert(declared.get(k), v)));
    }

    public static RuleOptions none(String rule) { return new RuleOptions(rule, Map.of()); }

    /** The options the rule declares. */
    public List<RuleOption> declared() { return List.copyOf(declared.values()); }

    public double getDouble(String key) { return ((Number) value(key, RuleOption.Type.NUMBER)).doubleValue(); }

    public long getLong(String key) { return ((Number) value(key, RuleOption.Type.INTEGER)).longValue(); }

    public int getInt(String key) { return Math.toIntExact(getLong(key)); }

    public boolean getBoolean(String key) { return (Boolean) value(key, RuleOption.Type.BOOLEAN); }

    /** A {@link RuleOption#choice} option's value. */
    public String getString(String key) { return (String) value(key, RuleOption.Type.CHOICE); }

    /** A {@link RuleOption#numbers} option's value (null when neither given nor defaulted). */
    @SuppressWarnings("unchecked")
    public List<Double> getDoubles(String key) { return (List<Double>) value(key, RuleOption.Type.NUMBERS); }

    // The forms with a fallback predate the declarations; the fallback must equal the declared default.

    public double getDouble(String key, double fallback) {
        sameDefault(key, fallback);
        return getDouble(key);
    }

    public double getPositive(String key, double fallback) {
        double d = getDouble(key, fallback);
        if (!(d > 0) || Double.isInfinite(d)) {
            throw new UserError("rule option '" + key + "' of " + rule + " must be a positive number, got " + d);
        }
        return d;
    }

    public int getInt(String key, int fallback) {
        sameDefault(key, (long) fallback);
        return getInt(key);
    }

    public boolean getBoolean(String key, boolean fallback) {
        sameDefault(key, fallback);
        return getBoolean(key);
    }

    public String getChoice(String key, String fallback, Collection<String> allowed) {
        sameDefault(key, fallback);
        return getString(key);
    }

    public String getChoice(String key, String fallback, String... allowed) {
        return getChoice(key, fallback, List.of(allowed));
    }

    public List<Double> getDoubles(String key, List<Double> fallback) {
        sameDefault(key, fallback);
        return getDoubles(key);
    }

    public boolean has(String key) { return given.containsKey(key); }

    /** Unknown options are rejected when the options are built; kept for callers of the earlier API. */
    public void requireAllUsed() { }

    /** The options as supplied (for the resolved config). */
    public Map<String, Object> asMap() { return Map.copyOf(given); }

    /** The options read so far (after a rule's construction: the ones it uses; a test checks that is all it declares). */
    public List<String> keysRead() { return List.copyOf(read); }

    private Object value(String key, RuleOption.Type type) {
        read.add(key);
        RuleOption o = declared.get(key);
        if (o == null) {
            throw new IllegalStateException("rule " + rule + " reads option '" + key
                    + "', which its OPTIONS list does not declare (declare it with RuleOption." + type.name().toLowerCase() + "(...))");
        }
        if (o.type() != type) throw new IllegalStateException("rule " + rule + " reads " + o.type() + " option '" + key + "' as " + type);
        return values.containsKey(key) ? values.get(key) : o.defaultValue();
    }

    private void sameDefault(String key, Object fallback) {
        RuleOption o = declared.get(key);
        if (o != null && !Objects.equals(normal(o.defaultValue()), normal(fallback))) {
            throw new IllegalStateException("rule " + rule + " falls back to " + fallback + " for option '" + key
                    + "' but declares the default " + o.defaultValue());
        }
    }

    private static Object normal(Object v) {
        if (v instanceof Integer i) return i.longValue();
        return v;
    }

    private Object convert(RuleOption o, Object v) {
        return switch (o.type()) {
            case NUMBER -> {
                double d = number(o, v);
                if (!o.range().contains(d)) throw bad(o, v);
                yield d;
            }
            case INTEGER -> {
                double d = number(o, v);
                if (!o.range().contains(d) || Math.abs(d) > Long.MAX_VALUE / 2.0) throw bad(o, v);
                yield (long) d;
            }
            case BOOLEAN -> {
                if (v instanceof Boolean b) yield b;
                String s = v.toString().trim().toLowerCase();
                if (s.equals("true") || s.equals("yes") || s.equals("1")) yield true;
                if (s.equals("false") || s.equals("no") || s.equals("0")) yield false;
                throw bad(o, v);
            }
            case CHOICE -> {
                String s = v.toString().trim();
                if (!o.choices().contains(s)) throw bad(o, v);
                yield s;
            }
            case NUMBERS -> {
                List<?> parts = v instanceof List<?> l ? l : List.of(v.toString().split(","));
                List<Double> out = new ArrayList<>();
                for (Object p : parts) {
                    double d = number(o, p);
                    if (!o.range().contains(d)) throw bad(o, v);
                    out.add(d);
                }
                if (out.isEmpty()) throw bad(o, v);
                yield List.copyOf(out);
            }
        };
    }

    private double number(RuleOption o, Object v) {
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw bad(o, v);
        }
    }

    private UserError bad(RuleOption o, Object v) {
        String shown = v instanceof String s ? "'" + s + "'" : String.valueOf(v);
        return new UserError("rule option '" + o.name() + "' of " + rule + " must be " + o.expected() + ", got " + shown);
    }
}
