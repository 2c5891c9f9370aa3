package org.creditlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One run of a sweep: its position in the manifest, its directory name, the axis values that make it (in axis
 * order, the seed last) and its fully resolved config (as config.json will hold it, without {@code out}).
 *
 * @param config  the resolved config; null for a cell read back from a manifest (its config is in configs/NAME.json)
 * @param hash    a short hash of the resolved config, ignoring what does not change the experiment
 * @param retired the cell left the sweep file when it was extended; it stays on disk but is not run or reported
 */
public record Cell(int index, String name, Map<String, JsonNode> values, ObjectNode config, String hash, boolean retired) {
    /** The values without the seed: what groups a cell with its other seeds in the report. */
    public Map<String, JsonNode> setting() {
        Map<String, JsonNode> s = new java.util.LinkedHashMap<>(values);
        s.remove("seed");
        return s;
    }

    /** "rule bp, lr 0.1, seed 2" (for tables and messages). */
    public String describe() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        values.forEach((k, v) -> parts.add(k + " " + (v.isTextual() ? v.asText() : v.toString())));
        return parts.isEmpty() ? "(the base config)" : String.join(", ", parts);
    }

    public Cell withIndex(int i) { return new Cell(i, name, values, config, hash, retired); }

    public Cell retire() { return new Cell(index, name, values, config, hash, true); }
}
