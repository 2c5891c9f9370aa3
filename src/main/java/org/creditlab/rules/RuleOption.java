package org.creditlab.rules;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.creditlab.Range;

/**
 * One option a rule takes ({@code --set NAME=VALUE} or the config's {@code rule_options}): name, type, default,
 * allowed values and a one-line doc. A rule lists its options as a static {@code OPTIONS} list of these;
 * {@link RuleOptions} checks what the user gave against it and {@code credit rules RULE} prints it, so an option
 * is declared once. Build with the factories and narrow with {@link #range}, {@link #positive}, ...
 *
 * @param defaultText what to print as the default when the value alone does not say it (e.g. "run lr" for NaN)
 */
public record RuleOption(String name, Type type, Object defaultValue, String defaultText, Range range,
                         List<String> choices, String doc) {

    public enum Type { NUMBER, INTEGER, BOOLEAN, CHOICE, NUMBERS }

    public static RuleOption number(String name, double defaultValue, String doc) {
        return new RuleOption(name, Type.NUMBER, defaultValue, null, Range.ANY, List.of(), doc);
    }

    public static RuleOption integer(String name, long defaultValue, String doc) {
        return new RuleOption(name, Type.INTEGER, defaultValue, null, Range.ANY_WHOLE, List.of(), doc);
    }

    public static RuleOption bool(String name, boolean defaultValue, String doc) {
        return new RuleOption(name, Type.BOOLEAN, defaultValue, null, Range.ANY, List.of(), doc);
    }

    /** A string that must be one of {@code allowed}; the default is the first. */
    public static RuleOption choice(String name, String doc, String... allowed) {
        return new RuleOption(name, Type.CHOICE, allowed[0], null, Range.ANY, List.of(allowed), doc);
    }

    /** A list of numbers (JSON array or "a,b,c"); null default means "not given" (see {@code defaultText}). */
    public static RuleOption numbers(String name, List<Double> defaultValue, String doc) {
        return new RuleOption(name, Type.NUMBERS, defaultValue, null, Range.ANY, List.of(), doc);
    }

    /** Values in [min, max] (NUMBER, INTEGER, each of NUMBERS). */
    public RuleOption range(double min, double max) {
        return withRange(new Range(min, false, max, false, range.whole()));
    }

    /** Values > 0 and finite. */
    public RuleOption positive() {
        return withRange(new Range(0, true, Double.POSITIVE_INFINITY, false, range.whole()));
    }

    /** Values >= 0 and finite. */
    public RuleOption nonNegative() {
        return withRange(new Range(0, false, Double.POSITIVE_INFINITY, false, range.whole()));
    }

    /** Values in (0, max]. */
    public RuleOption positiveAtMost(double max) {
        return withRange(new Range(0, true, max, false, range.whole()));
    }

    /** The words to print for the default (e.g. "the run's lr" where the value is NaN). */
    public RuleOption defaultText(String text) {
        return new RuleOption(name, type, defaultValue, text, range, choices, doc);
    }

    private RuleOption withRange(Range r) {
        return new RuleOption(name, type, defaultValue, defaultText, r, choices, doc);
    }

    /** Completes "must be ...". */
    public String expected() {
        return switch (type) {
            case NUMBER, INTEGER -> range.describe();
            case BOOLEAN -> "true or false";
            case CHOICE -> "one of " + String.join(", ", choices);
            case NUMBERS -> "a list of numbers" + (range.equals(Range.ANY) ? "" : ", each " + range.describe());
        };
    }

    /** For {@code credit rules RULE}: "number > 0", "per-example|shared", "true|false". */
    public String typeText() {
        return switch (type) {
            case NUMBER -> ("number " + range.brief()).trim();
            case INTEGER -> ("integer " + range.brief()).trim();
            case BOOLEAN -> "true|false";
            case CHOICE -> String.join("|", choices);
            case NUMBERS -> ("list of numbers " + range.brief()).trim();
        };
    }

    public String defaultString() {
        if (defaultText != null) return defaultText;
        if (defaultValue instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e5) return Range.fmt(d);
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toString().toLowerCase(Locale.ROOT).replace("e+", "e");
        }
        if (defaultValue instanceof List<?> l) return String.join(",", l.stream().map(Object::toString).toList());
        return String.valueOf(defaultValue);
    }

    /** The names of a list of options, for messages. */
    static String names(List<RuleOption> options) {
        return String.join(", ", options.stream().map(RuleOption::name).toList());
    }

    static List<RuleOption> list(RuleOption... options) { return Arrays.asList(options); }
}
