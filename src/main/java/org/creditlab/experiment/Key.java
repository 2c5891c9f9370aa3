package org.creditlab.experiment;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a {@link RunConfig} field as a config key: its one-line doc, its allowed values and, optionally, its
 * {@code credit train} flag. {@link ConfigKeys} reads these by reflection, and the resolver's checks,
 * {@code credit train --help}, {@code credit keys} and the README's key table all come from them, so a key
 * is one annotated field. The key's name is the field's name in snake_case, its default the field's initial
 * value, its type the field's type (String, int, long, double, boolean, List&lt;Integer&gt;, Map).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Key {
    /** One line: what the key means (help, README, errors). */
    String doc();

    /** The {@code credit train} flag that sets this key, e.g. "--epochs" (none when empty). Booleans: "--no-x" sets false. */
    String flag() default "";

    /** The flag's value label in help, e.g. "N". */
    String label() default "";

    /** Lower bound of a number (of every element for a list). */
    double min() default Double.NEGATIVE_INFINITY;

    /** Whether {@link #min} itself is excluded. */
    boolean minOpen() default false;

    /** Upper bound of a number (of every element for a list). */
    double max() default Double.POSITIVE_INFINITY;

    /** A public static no-argument method of {@link RunConfig} giving the upper bound at run time (overrides {@link #max}). */
    String maxFrom() default "";

    /** Whether {@link #max} itself is excluded. */
    boolean maxOpen() default false;

    /** The allowed values of a string key, when the code has no list of its own. */
    String[] choices() default {};

    /** The allowed values of a string key, from the code's own list (network kinds, datasets, ...). */
    Choices choicesFrom() default Choices.NONE;

    /** Whether null (absent) is allowed. */
    boolean nullable() default false;

    /** Whether a list key may be empty. */
    boolean allowEmpty() default true;
}
