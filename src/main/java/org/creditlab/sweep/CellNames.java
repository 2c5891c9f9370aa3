package org.creditlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.creditlab.experiment.ConfigResolver;

/**
 * A cell's directory name: its values, readable ({@code bp_lr-0.1_seed-2}), then 8 hex digits of a hash of its
 * resolved config ({@code _3fa2c1d0}). The values make the name something a user can read and glob; the hash
 * makes two cells whose values print alike, or one whose base config changed, different directories. Both
 * depend only on the cell's own values and config, never on its position, so a cell keeps its name when a sweep
 * is extended.
 */
public final class CellNames {
    /**
     * Keys that may differ between two runs of the same experiment ({@code out} is where it is written; threads,
     * data_dir and download are what --resume may change without changing the trained network's history).
     */
    static final List<String> NOT_HASHED = List.of("out", "threads", "data_dir", "download");

    private CellNames() { }

    public static String name(Map<String, JsonNode> values, String hash) {
        List<String> parts = new ArrayList<>();
        for (var e : values.entrySet()) {
            String v = value(e.getValue());
            parts.add(e.getKey().equals("rule") ? v : e.getKey() + "-" + v);
        }
        String readable = parts.isEmpty() ? "run" : String.join("_", parts);
        if (readable.length() > 180) readable = readable.substring(0, 180);
        return readable + "_" + hash;
    }

    /** A value as it appears in a name: 0.1, 1e-5, 256x256 for a list; only characters safe in any shell. */
    static String value(JsonNode v) {
        String s;
        if (v.isNumber()) {
            // 10, 0.1, 0.0003, 1e-7: the double's shortest exact spelling, plain unless tiny or huge
            if (v.isIntegralNumber()) {
                s = v.asText();
            } else {
                BigDecimal d = BigDecimal.valueOf(v.doubleValue()).stripTrailingZeros();
                double a = Math.abs(v.doubleValue());
                int exp = d.precision() - d.scale() - 1;
                s = a == 0 || (a >= 1e-4 && a < 1e6) ? d.toPlainString() : d.movePointLeft(exp).toPlainString() + "e" + exp;
            }
        } else if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(x -> items.add(value(x)));
            s = items.isEmpty() ? "none" : String.join("x", items);
        } else if (v.isObject()) {
            s = "obj";
        } else {
            s = v.asText();
        }
        s = s.replaceAll("[^A-Za-z0-9.+-]", "");
        if (s.length() > 32) s = s.substring(0, 32);
        return s.isEmpty() ? "x" : s;
    }

    /** 8 hex digits of SHA-256 over the config as canonical JSON (keys sorted), without {@link #NOT_HASHED}. */
    public static String hash(ObjectNode config) {
        ObjectNode c = config.deepCopy();
        NOT_HASHED.forEach(c::remove);
        String canonical = canonical(c);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 4; i++) sb.append(String.format("%02x", d[i]));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String canonical(JsonNode n) {
        if (n.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                sorted.put(e.getKey(), e.getValue());
            }
            StringBuilder sb = new StringBuilder("{");
            sorted.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(ConfigResolver.toJson(k)).append(':').append(canonical(v)));
            return sb.append('}').toString();
        }
        if (n.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (JsonNode x : n) sb.append(sb.length() > 1 ? "," : "").append(canonical(x));
            return sb.append(']').toString();
        }
        // 0.1 and 0.10 are one number: numbers by their double value's shortest form
        if (n.isFloatingPointNumber() || n.isBigDecimal()) return Double.toString(n.doubleValue());
        return n.toString();
    }
}
