package org.creditlab;

import java.util.Locale;

/**
 * The allowed interval of a numeric config key or rule option, with the words for error messages and help
 * ("a number in [0, 1)", "a whole number >= 1"). NaN and infinities are never inside a range.
 *
 * @param min        lower bound (-Infinity: none)
 * @param minOpen    whether {@code min} itself is excluded
 * @param max        upper bound (+Infinity: none)
 * @param maxOpen    whether {@code max} itself is excluded
 * @param whole      whether only whole numbers are allowed
 */
public record Range(double min, boolean minOpen, double max, boolean maxOpen, boolean whole) {
    public static final Range ANY = new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false, false);
    public static final Range ANY_WHOLE = ANY.wholeNumbers();

    public Range wholeNumbers() { return new Range(min, minOpen, max, maxOpen, true); }

    public boolean contains(double v) {
        if (!Double.isFinite(v)) return false;
        if (whole && v != Math.rint(v)) return false;
        if (minOpen ? !(v > min) : !(v >= min)) return false;
        return maxOpen ? v < max : v <= max;
    }

    /** e.g. "a positive number", "a number in [0, 1)", "a whole number >= 1". */
    public String describe() {
        String kind = whole ? "a whole number" : "a number";
        boolean lo = min != Double.NEGATIVE_INFINITY;
        boolean hi = max != Double.POSITIVE_INFINITY;
        if (lo && hi) return kind + " in " + (minOpen ? "(" : "[") + fmt(min) + ", " + fmt(max) + (maxOpen ? ")" : "]");
        if (lo && min == 0 && minOpen) return whole ? "a positive whole number" : "a positive number";
        if (lo) return kind + (minOpen ? " > " : " >= ") + fmt(min);
        if (hi) return kind + (maxOpen ? " < " : " <= ") + fmt(max);
        return whole ? "a whole number" : "a finite number";
    }

    /** Short form for tables: "[0, 1)", ">= 1", "> 0", "" for no bound. */
    public String brief() {
        boolean lo = min != Double.NEGATIVE_INFINITY;
        boolean hi = max != Double.POSITIVE_INFINITY;
        if (lo && hi) return (minOpen ? "(" : "[") + fmt(min) + ", " + fmt(max) + (maxOpen ? ")" : "]");
        if (lo) return (minOpen ? "> " : ">= ") + fmt(min);
        if (hi) return (maxOpen ? "< " : "<= ") + fmt(max);
        return "";
    }

    public static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%s", v);
    }
}
