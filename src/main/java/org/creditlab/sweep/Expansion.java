package org.creditlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.creditlab.UserError;
import org.creditlab.experiment.ConfigKeys;
import org.creditlab.experiment.ConfigResolver;
import org.creditlab.experiment.RunConfig;

/**
 * The cells of a sweep: for each grid the full product of its axes (the first axis varying slowest; a
 * conditional axis only where its {@code when} holds), times the random samples, times the seeds (innermost, so
 * that a setting's seeds are neighbours). Each cell's config is resolved as {@code credit train} would resolve
 * it (built-in defaults, the rule's defaults, the config file, then the base and the cell's values), so every
 * value is checked by its key's declaration and a rule option by the rule's.
 */
public final class Expansion {
    private Expansion() { }

    public static List<Cell> expand(SweepSpec spec) {
        List<Map<String, JsonNode>> samples = samples(spec);
        List<Map<String, JsonNode>> points = new ArrayList<>();
        for (List<Axis> grid : spec.grids()) product(grid, 0, new LinkedHashMap<>(), spec.base(), points);
        List<Cell> cells = new ArrayList<>();
        Map<String, Integer> byName = new HashMap<>();
        for (Map<String, JsonNode> point : points) {
            // random axes that do not apply to this point (a 'when') leave its samples alike: run them once
            java.util.Set<Map<String, JsonNode>> seen = new java.util.HashSet<>();
            for (Map<String, JsonNode> sample : samples) {
                Map<String, JsonNode> withSample = new LinkedHashMap<>(point);
                for (Axis a : spec.randomAxes()) {
                    if (a.when().holds(withSample, spec.base())) withSample.put(a.key(), sample.get(a.key()));
                }
                if (!seen.add(withSample)) continue;
                List<Long> seeds = spec.seeds().isEmpty() ? java.util.Collections.singletonList(null) : spec.seeds();
                for (Long seed : seeds) {
                    Map<String, JsonNode> values = new LinkedHashMap<>(withSample);
                    if (seed != null) values.put("seed", JsonNodeFactory.instance.numberNode(seed));
                    ObjectNode config = resolve(spec, values);
                    String hash = CellNames.hash(config);
                    String name = CellNames.name(values, hash);
                    Integer twin = byName.putIfAbsent(name, cells.size());
                    if (twin != null) {
                        throw new UserError("sweep file " + spec.file() + ": cells " + twin + " and " + cells.size()
                                + " are the same run (" + new Cell(0, "", values, null, "", false).describe() + "); remove the repeated grid point");
                    }
                    cells.add(new Cell(cells.size(), name, values, config, hash, false));
                }
            }
        }
        if (cells.isEmpty()) throw new UserError("sweep file " + spec.file() + ": the sweep has no cells");
        return cells;
    }

    private static void product(List<Axis> axes, int i, LinkedHashMap<String, JsonNode> values, JsonNode base,
                                List<Map<String, JsonNode>> out) {
        if (i == axes.size()) {
            out.add(new LinkedHashMap<>(values));
            return;
        }
        Axis a = axes.get(i);
        if (!a.when().holds(values, base)) {
            product(axes, i + 1, values, base, out);
            return;
        }
        for (JsonNode v : a.values()) {
            values.put(a.key(), v);
            product(axes, i + 1, values, base, out);
            values.remove(a.key());
        }
    }

    /**
     * The random samples, drawn once for the whole sweep (every grid point is tried on the same samples) from
     * one seeded stream in sample-then-axis order; a conditional axis is drawn even where it does not apply, so
     * that adding samples keeps the earlier ones.
     */
    static List<Map<String, JsonNode>> samples(SweepSpec spec) {
        List<Map<String, JsonNode>> out = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(spec.randomSeed());
        for (int i = 0; i < spec.samples(); i++) {
            Map<String, JsonNode> s = new LinkedHashMap<>();
            for (Axis a : spec.randomAxes()) s.put(a.key(), a.distribution().sample(random));
            out.add(s);
        }
        return out;
    }

    /** The cell's config as config.json will hold it (without out), checked like a {@code credit train} config. */
    static ObjectNode resolve(SweepSpec spec, Map<String, JsonNode> values) {
        String where = "sweep file " + spec.file();
        ConfigResolver.Overrides o = new ConfigResolver.Overrides();
        ObjectNode ruleOptions = JsonNodeFactory.instance.objectNode();
        spec.base().fields().forEachRemaining(e -> {
            if (e.getKey().equals("rule_options") && e.getValue().isObject()) {
                ruleOptions.setAll((ObjectNode) e.getValue());
            } else {
                o.put(e.getKey(), e.getValue(), where + ", base");
            }
        });
        String cellWhere = where + ", cell (" + new Cell(0, "", values, null, "", false).describe() + ")";
        for (var e : values.entrySet()) {
            if (ConfigKeys.get(e.getKey()) != null) o.put(e.getKey(), e.getValue(), cellWhere);
            else ruleOptions.set(e.getKey(), e.getValue());
        }
        if (!ruleOptions.isEmpty()) o.put("rule_options", ruleOptions, cellWhere);
        RunConfig cfg;
        try {
            cfg = ConfigResolver.resolve(spec.configFile(), o);
        } catch (UserError e) {
            throw e.getMessage().startsWith(where) ? e : new UserError(cellWhere + ": " + e.getMessage(), e);
        }
        ObjectNode tree = ConfigResolver.JSON.valueToTree(cfg);
        tree.remove("out");
        return tree;
    }
}
