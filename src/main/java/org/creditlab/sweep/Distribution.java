package org.creditlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a {@code random} axis draws from: {@code uniform [a, b]}, {@code log-uniform [a, b]} (a > 0),
 * {@code int [a, b]} (both ends included) or {@code choice [v1, v2, ...]}. Real values are rounded to 4
 * significant digits, so that config.json and the cell's name say the value that was really used.
 */
public sealed interface Distribution {
    JsonNode sample(SplittableRandom random);

    /** The spelling in a sweep file, for messages and the plan. */
    String describe();

    record Uniform(double low, double high) implements Distribution {
        @Override public JsonNode sample(SplittableRandom r) { return real(low + (high - low) * r.nextDouble()); }
        @Override public String describe() { return "uniform [" + low + ", " + high + "]"; }
    }

    record LogUniform(double low, double high) implements Distribution {
        @Override public JsonNode sample(SplittableRandom r) {
            return real(Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * r.nextDouble()));
        }
        @Override public String describe() { return "log-uniform [" + low + ", " + high + "]"; }
    }

    record IntRange(long low, long high) implements Distribution {
        @Override public JsonNode sample(SplittableRandom r) {
            return JsonNodeFactory.instance.numberNode(low + r.nextLong(high - low + 1));
        }
        @Override public String describe() { return "int [" + low + ", " + high + "]"; }
    }

    record Choice(List<JsonNode> values) implements Distribution {
        @Override public JsonNode sample(SplittableRandom r) { return values.get(r.nextInt(values.size())).deepCopy(); }
        @Override public String describe() { return "choice " + values; }
    }

    private static JsonNode real(double v) {
        return JsonNodeFactory.instance.numberNode(new BigDecimal(v).round(new MathContext(4)).doubleValue());
    }
}
