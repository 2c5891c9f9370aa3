package org.creditlab.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.creditlab.UserError;
import org.creditlab.experiment.ConfigKeys;
import org.creditlab.experiment.ConfigResolver;
import org.creditlab.rules.RuleInfo;
import org.creditlab.rules.RuleOption;
import org.creditlab.rules.RuleRegistry;

/**
 * Reads a sweep file (JSON) and checks its form: known fields, known keys on every axis (a config key declared
 * in RunConfig, or an option some rule declares), non-empty axes, valid distributions and seeds. Each problem is
 * one {@link UserError} line naming the file and the field. Values themselves are checked when the cells are
 * resolved ({@link Expansion}), by the same declarations {@code credit train} uses.
 */
public final class SweepFileReader {
    /** The top-level fields; "about" and "comment" are free text for the reader of the file. */
    static final List<String> FIELDS = List.of("name", "about", "comment", "config", "base", "grid", "random", "seeds",
            "max_attempts", "slurm");
    /** Keys an axis may not vary: the sweep decides where each cell goes and the executor how many threads it gets. */
    static final List<String> NOT_AXES = List.of("out", "threads");

    private final Path file;

    private SweepFileReader(Path file) {
        this.file = file;
    }

    public static SweepSpec read(Path file) {
        return new SweepFileReader(file).parse(readTree(file));
    }

    /** The file as JSON, with a one-line error for anything unreadable. */
    static ObjectNode readTree(Path file) {
        try {
            JsonNode n = ConfigResolver.JSON.readTree(Files.readString(file));
            if (!(n instanceof ObjectNode o)) throw new UserError("sweep file " + file + " must hold a JSON object");
            return o;
        } catch (NoSuchFileException e) {
            throw new UserError("sweep file not found: " + file);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            String msg = e.getOriginalMessage() == null ? "parse error" : e.getOriginalMessage().replaceAll("\\s+", " ");
            throw new UserError("sweep file " + file + " is not valid JSON (line " + line + "): " + msg);
        } catch (IOException e) {
            throw new UserError("cannot read sweep file " + file + ": " + e.getMessage());
        }
    }

    SweepSpec parse(ObjectNode root) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw error("unknown field '" + f + "' (known: " + String.join(", ", FIELDS) + ")");
        }
        String name = root.path("name").asText("");
        if (!root.has("name")) name = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._+-]*")) {
            throw error("name must be a plain directory name (letters, digits, . _ + -), got '" + name + "'");
        }
        Path config = null;
        if (root.has("config")) {
            if (!root.get("config").isTextual() || root.get("config").asText().isBlank()) throw error("config must be a file name");
            Path c = Path.of(root.get("config").asText());
            config = c.isAbsolute() || file.toAbsolutePath().getParent() == null ? c : file.toAbsolutePath().getParent().resolve(c);
            if (!Files.isRegularFile(config)) throw error("config file " + config + " not found");
        }
        ObjectNode base = root.has("base") ? object(root.get("base"), "base") : ConfigResolver.JSON.createObjectNode();
        for (String k : NOT_AXES) {
            if (k.equals("out") && base.has(k)) throw error("base must not set 'out': the sweep puts each cell in its own directory");
        }
        List<List<Axis>> grids = grids(root.get("grid"));
        int samples = 1;
        long randomSeed = 0;
        List<Axis> random = List.of();
        if (root.has("random")) {
            ObjectNode r = object(root.get("random"), "random");
            for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!List.of("samples", "seed", "axes").contains(f)) throw error("random: unknown field '" + f + "' (known: samples, seed, axes)");
            }
            if (!r.path("samples").canConvertToInt() || !r.path("samples").isIntegralNumber() || r.path("samples").asInt() < 1) {
                throw error("random.samples must be a whole number >= 1, got " + r.path("samples"));
            }
            samples = r.get("samples").asInt();
            if (r.has("seed")) {
                if (!r.get("seed").isIntegralNumber()) throw error("random.seed must be a whole number, got " + r.get("seed"));
                randomSeed = r.get("seed").asLong();
            }
            random = randomAxes(object(r.get("axes"), "random.axes"));
        }
        List<Long> seeds = seeds(root.get("seeds"));
        Set<String> seen = new HashSet<>();
        for (Axis a : random) seen.add(a.key());
        for (List<Axis> g : grids) {
            for (Axis a : g) {
                if (seen.contains(a.key()) && random.stream().anyMatch(r -> r.key().equals(a.key()))) {
                    throw error("'" + a.key() + "' is both a grid and a random axis");
                }
                if (a.key().equals("seed") && !seeds.isEmpty()) throw error("'seed' is both a grid axis and 'seeds'");
            }
        }
        if (random.stream().anyMatch(a -> a.key().equals("seed")) && !seeds.isEmpty()) {
            throw error("'seed' is both a random axis and 'seeds'");
        }
        int maxAttempts = 3;
        if (root.has("max_attempts")) {
            JsonNode m = root.get("max_attempts");
            if (!m.isIntegralNumber() || m.asInt() < 1) throw error("max_attempts must be a whole number >= 1, got " + m);
            maxAttempts = m.asInt();
        }
        SlurmSettings slurm = root.has("slurm") ? slurm(object(root.get("slurm"), "slurm")) : SlurmSettings.NONE;
        return new SweepSpec(file, name, config, base, grids, samples, randomSeed, random, seeds, maxAttempts, slurm);
    }

    /** "grid": one object of axes, or a list of them (their union: e.g. other lrs for other rules). */
    private List<List<Axis>> grids(JsonNode grid) {
        List<List<Axis>> grids = new ArrayList<>();
        if (grid == null || grid.isNull()) {
            grids.add(List.of());
            return grids;
        }
        if (grid.isObject()) {
            if (grid.isEmpty()) throw error("grid is empty (leave it out for a sweep over seeds or random axes only)");
            grids.add(gridAxes((ObjectNode) grid, "grid"));
        } else if (grid.isArray()) {
            if (grid.isEmpty()) throw error("grid is an empty list: the sweep has no cells");
            for (int i = 0; i < grid.size(); i++) {
                String where = "grid[" + i + "]";
                if (!grid.get(i).isObject() || grid.get(i).isEmpty()) throw error(where + " must be a non-empty object of axes");
                grids.add(gridAxes((ObjectNode) grid.get(i), where));
            }
        } else {
            throw error("grid must be an object of axes (key: [values]) or a list of such objects, got " + grid);
        }
        return grids;
    }

    private List<Axis> gridAxes(ObjectNode g, String where) {
        List<Axis> axes = new ArrayList<>();
        g.fields().forEachRemaining(e -> {
            String key = checkKey(e.getKey(), where);
            JsonNode v = e.getValue();
            Condition when = Condition.ALWAYS;
            if (v.isObject()) {
                for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!f.equals("values") && !f.equals("when")) {
                        throw error(where + "." + key + ": unknown field '" + f + "' (an axis is a list, or {\"values\": [...], \"when\": {...}})");
                    }
                }
                when = condition(v.get("when"), where + "." + key);
                v = v.get("values");
            }
            if (v == null || !v.isArray()) throw error(where + "." + key + " must be a list of values, got " + (v == null ? "nothing" : v));
            if (v.isEmpty()) throw error(where + "." + key + " is an empty list: an axis needs at least one value");
            List<JsonNode> values = new ArrayList<>();
            v.forEach(values::add);
            if (new HashSet<>(values).size() < values.size()) throw error(where + "." + key + " lists a value twice: " + v);
            axes.add(Axis.grid(key, values, when));
        });
        return axes;
    }

    private List<Axis> randomAxes(ObjectNode axes) {
        if (axes.isEmpty()) throw error("random.axes is empty");
        List<Axis> out = new ArrayList<>();
        axes.fields().forEachRemaining(e -> {
            String where = "random.axes." + e.getKey();
            String key = checkKey(e.getKey(), "random.axes");
            ObjectNode spec = object(e.getValue(), where);
            Condition when = condition(spec.get("when"), where);
            List<String> kinds = new ArrayList<>();
            spec.fieldNames().forEachRemaining(f -> { if (!f.equals("when")) kinds.add(f); });
            if (kinds.size() != 1) {
                throw error(where + " must name one distribution (uniform, log-uniform, int or choice), got " + kinds);
            }
            out.add(Axis.random(key, distribution(kinds.get(0), spec.get(kinds.get(0)), where), when));
        });
        return out;
    }

    private Distribution distribution(String kind, JsonNode args, String where) {
        if (kind.equals("choice")) {
            if (!args.isArray() || args.isEmpty()) throw error(where + ": choice needs a non-empty list of values, got " + args);
            List<JsonNode> values = new ArrayList<>();
            args.forEach(values::add);
            return new Distribution.Choice(values);
        }
        if (!List.of("uniform", "log-uniform", "int").contains(kind)) {
            throw error(where + ": unknown distribution '" + kind + "' (known: uniform, log-uniform, int, choice)");
        }
        if (!args.isArray() || args.size() != 2 || !args.get(0).isNumber() || !args.get(1).isNumber()) {
            throw error(where + ": " + kind + " needs [low, high], two numbers, got " + args);
        }
        double lo = args.get(0).doubleValue(), hi = args.get(1).doubleValue();
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) throw error(where + ": " + kind + " needs low < high, got " + args);
        return switch (kind) {
            case "uniform" -> new Distribution.Uniform(lo, hi);
            case "log-uniform" -> {
                if (!(lo > 0)) throw error(where + ": log-uniform needs low > 0, got " + args);
                yield new Distribution.LogUniform(lo, hi);
            }
            default -> {
                if (!args.get(0).isIntegralNumber() || !args.get(1).isIntegralNumber()) {
                    throw error(where + ": int needs whole-number bounds, got " + args);
                }
                yield new Distribution.IntRange(args.get(0).longValue(), args.get(1).longValue());
            }
        };
    }

    private Condition condition(JsonNode when, String where) {
        if (when == null) return Condition.ALWAYS;
        ObjectNode w = object(when, where + ".when");
        if (w.isEmpty()) throw error(where + ".when is empty");
        Map<String, List<JsonNode>> required = new LinkedHashMap<>();
        w.fields().forEachRemaining(e -> {
            String key = checkKey(e.getKey(), where + ".when");
            List<JsonNode> values = new ArrayList<>();
            if (e.getValue().isArray()) e.getValue().forEach(values::add); else values.add(e.getValue());
            if (values.isEmpty()) throw error(where + ".when." + key + " is an empty list: the axis would never apply");
            required.put(key, values);
        });
        return new Condition(required);
    }

    private List<Long> seeds(JsonNode seeds) {
        if (seeds == null || seeds.isNull()) return List.of();
        List<Long> out = new ArrayList<>();
        if (seeds.isIntegralNumber()) {
            if (seeds.asLong() < 1 || seeds.asLong() > 10_000) throw error("seeds as a count must be 1 to 10000, got " + seeds);
            for (long s = 1; s <= seeds.asLong(); s++) out.add(s);
            return out;
        }
        if (!seeds.isArray() || seeds.isEmpty()) throw error("seeds must be a count or a non-empty list of whole numbers, got " + seeds);
        for (JsonNode s : seeds) {
            if (!s.isIntegralNumber() || !s.canConvertToLong()) throw error("seeds must be whole numbers, got " + s);
            if (out.contains(s.asLong())) throw error("seeds lists " + s + " twice");
            out.add(s.asLong());
        }
        return out;
    }

    private SlurmSettings slurm(ObjectNode s) {
        List<String> known = List.of("partition", "time", "cpus", "mem", "max_running");
        s.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) throw error("slurm: unknown field '" + f + "' (known: " + String.join(", ", known) + ")");
        });
        Integer cpus = null, maxRunning = null;
        if (s.has("cpus")) {
            if (!s.get("cpus").isIntegralNumber() || s.get("cpus").asInt() < 1) throw error("slurm.cpus must be a whole number >= 1");
            cpus = s.get("cpus").asInt();
        }
        if (s.has("max_running")) {
            if (!s.get("max_running").isIntegralNumber() || s.get("max_running").asInt() < 1) {
                throw error("slurm.max_running must be a whole number >= 1");
            }
            maxRunning = s.get("max_running").asInt();
        }
        return new SlurmSettings(text(s, "partition"), text(s, "time"), cpus, text(s, "mem"), maxRunning);
    }

    private String text(ObjectNode s, String f) {
        if (!s.has(f)) return null;
        if (!s.get(f).isTextual() || s.get(f).asText().isBlank() || s.get(f).asText().matches(".*\\s.*")) {
            throw error("slurm." + f + " must be a word without spaces, got " + s.get(f));
        }
        return s.get(f).asText();
    }

    /**
     * An axis may vary a config key or a rule option some rule declares ({@code rule_options.NAME} or just NAME);
     * whether the cell's rule takes it is checked per cell.
     */
    private String checkKey(String raw, String where) {
        String key = raw.trim().replace('-', '_');
        if (key.startsWith("rule_options.")) key = key.substring("rule_options.".length());
        if (NOT_AXES.contains(key)) {
            throw error(where + ": '" + key + "' cannot vary in a sweep (" + (key.equals("out")
                    ? "each cell gets its own directory" : "give it with --threads or slurm.cpus: it does not change the experiment") + ")");
        }
        ConfigKeys.KeyInfo k = ConfigKeys.get(key);
        if (k != null) {
            if (!k.name().equals(key)) throw error(where + ": unknown key '" + raw + "'");
            if (k.name().equals("rule_options")) throw error(where + ": vary a rule option by its name (e.g. sigma), not rule_options");
            return key;
        }
        if (ruleOptionNames().contains(key)) return key;
        String near = ConfigKeys.closest(key);
        throw error(where + ": unknown key '" + raw + "': neither a config key ('credit keys') nor an option of any rule"
                + " ('credit rules RULE')" + (near == null ? "" : "; did you mean '" + near + "'?"));
    }

    static Set<String> ruleOptionNames() {
        Set<String> names = new HashSet<>();
        for (RuleInfo r : RuleRegistry.all()) for (RuleOption o : r.options()) names.add(o.name());
        return names;
    }

    private ObjectNode object(JsonNode n, String where) {
        if (!(n instanceof ObjectNode o)) throw error(where + " must be a JSON object, got " + (n == null ? "nothing" : n));
        return o;
    }

    private UserError error(String what) {
        return new UserError("sweep file " + file + ": " + what);
    }
}
