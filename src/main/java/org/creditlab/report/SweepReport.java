package org.creditlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.creditlab.sweep.Cell;
import org.creditlab.sweep.CellState;
import org.creditlab.sweep.SweepDirectory;

/**
 * The fair comparison of a sweep: its cells grouped by everything but the seed, each group's final and best test
 * accuracy as mean, 95 % CI (Student t) and n over its seeds, and per rule the one setting chosen on validation
 * accuracy (the tuning budget every rule gets) with that setting's test accuracy. Test accuracy never chooses:
 * choosing on it would report the maximum of noisy estimates, an optimistic number.
 */
public final class SweepReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A cell's numbers, read from its run directory. */
    public record CellResult(Cell cell, String rule, CellState.Status status, Double finalTest, Double bestTest,
                             Double finalValidation, List<Double> testPerEpoch) { }

    /** The cells that share a setting (all values but the seed). */
    public record Group(Map<String, JsonNode> setting, String rule, List<CellResult> cells) {
        public List<CellResult> completed() {
            return cells.stream().filter(c -> c.status() == CellState.Status.COMPLETED).toList();
        }
        public Stats finalTest() { return Stats.of(completed().stream().map(CellResult::finalTest).toList()); }
        public Stats bestTest() { return Stats.of(completed().stream().map(CellResult::bestTest).toList()); }
        public Stats validation() { return Stats.of(completed().stream().map(CellResult::finalValidation).toList()); }
        public long diverged() { return cells.stream().filter(c -> c.status() == CellState.Status.DIVERGED).count(); }
        public long unfinished() { return cells.size() - completed().size() - diverged(); }
    }

    private final String name;
    private final List<String> axes;
    private final List<Group> groups;
    private final int cells;

    private SweepReport(String name, List<String> axes, List<Group> groups, int cells) {
        this.name = name;
        this.axes = axes;
        this.groups = groups;
        this.cells = cells;
    }

    public static SweepReport of(SweepDirectory sweep) {
        Map<Map<String, JsonNode>, List<CellResult>> byGroup = new LinkedHashMap<>();
        Set<String> axes = new LinkedHashSet<>();
        for (Cell c : sweep.cells()) {
            axes.addAll(c.setting().keySet());
            byGroup.computeIfAbsent(c.setting(), k -> new ArrayList<>()).add(read(sweep, c));
        }
        List<Group> groups = new ArrayList<>();
        byGroup.forEach((setting, results) -> groups.add(new Group(setting, results.get(0).rule(), results)));
        return new SweepReport(sweep.manifest().name(), List.copyOf(axes), groups, sweep.cells().size());
    }

    static CellResult read(SweepDirectory sweep, Cell c) {
        CellState state = CellState.of(sweep, c);
        Path run = sweep.runDir(c);
        String rule = c.values().containsKey("rule") ? c.values().get("rule").asText() : null;
        Double best = null;
        List<Double> curve = new ArrayList<>();
        try {
            if (rule == null) rule = JSON.readTree(sweep.configFile(c).toFile()).path("rule").asText("?");
            Path result = run.resolve("result.json");
            if (Files.exists(result)) {
                JsonNode r = JSON.readTree(result.toFile());
                if (r.path("best_test_accuracy").isNumber()) best = r.get("best_test_accuracy").asDouble();
            }
            Path metrics = run.resolve("metrics.jsonl");
            if (Files.exists(metrics)) {
                for (String line : Files.readAllLines(metrics)) {
                    if (line.isBlank()) continue;
                    JsonNode n = JSON.readTree(line);
                    if ("epoch".equals(n.path("type").asText())) curve.add(n.path("test_accuracy").asDouble(Double.NaN));
                }
            }
        } catch (IOException e) {
            // an unreadable cell counts as unfinished; the status table says why
        }
        return new CellResult(c, rule, state.status(), state.testAccuracy(), best, state.validationAccuracy(), curve);
    }

    public List<Group> groups() { return groups; }
    public List<String> axes() { return axes; }

    /**
     * Per rule, the group with the highest mean final validation accuracy (over its completed seeds); rules
     * whose cells have no validation split get none (the report then says to add one).
     */
    public Map<String, Group> bestPerRule() {
        Map<String, Group> best = new LinkedHashMap<>();
        for (Group g : groups) {
            Stats v = g.validation();
            if (v.n() == 0) continue;
            Group b = best.get(g.rule());
            if (b == null || v.mean() > b.validation().mean()) best.put(g.rule(), g);
        }
        return best;
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        long done = groups.stream().mapToLong(g -> g.completed().size() + g.diverged()).sum();
        sb.append("Sweep ").append(name).append(": ").append(done).append(" of ").append(cells).append(" cells finished; ")
                .append(groups.size()).append(" settings. Mean ± 95 % CI (Student t) over the completed seeds of each setting.\n\n");
        sb.append('|');
        for (String a : axes) sb.append(' ').append(a).append(" |");
        sb.append(" n | final test acc (%) | best test acc (%) | val acc (%) | diverged | unfinished |\n|");
        sb.append("---|".repeat(axes.size() + 6)).append('\n');
        for (Group g : groups) {
            sb.append('|');
            for (String a : axes) sb.append(' ').append(g.setting().containsKey(a) ? show(g.setting().get(a)) : "").append(" |");
            sb.append(String.format(Locale.ROOT, " %d | %s | %s | %s | %d | %d |%n", g.finalTest().n(), pm(g.finalTest()),
                    pm(g.bestTest()), mean(g.validation()), g.diverged(), g.unfinished()));
        }
        Map<String, Group> best = bestPerRule();
        sb.append("\nBest setting per rule, chosen on validation accuracy (never on test); its test accuracy over its seeds:\n\n");
        if (best.isEmpty()) {
            sb.append("(no cell has a validation split: set \"validation\" in the sweep's base config to choose settings fairly)\n");
            return sb.toString();
        }
        sb.append("| rule | setting | val acc (%) | n | test acc (%) | 95 % CI |\n|---|---|---|---|---|---|\n");
        best.forEach((rule, g) -> {
            Stats t = g.finalTest();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s |%n", rule, settingText(g.setting()),
                    mean(g.validation()), t.n(), mean(t), ci(t)));
        });
        return sb.toString();
    }

    public String csv() {
        StringBuilder sb = new StringBuilder();
        for (String a : axes) sb.append(csvField(a)).append(',');
        sb.append("n,final_test_mean,final_test_ci95_low,final_test_ci95_high,best_test_mean,best_test_ci95_low,best_test_ci95_high,"
                + "validation_mean,diverged,unfinished\n");
        for (Group g : groups) {
            for (String a : axes) sb.append(g.setting().containsKey(a) ? csvField(show(g.setting().get(a))) : "").append(',');
            Stats f = g.finalTest(), b = g.bestTest();
            sb.append(f.n()).append(',').append(num(f.mean())).append(',').append(num(f.ciLow())).append(',').append(num(f.ciHigh()))
                    .append(',').append(num(b.mean())).append(',').append(num(b.ciLow())).append(',').append(num(b.ciHigh()))
                    .append(',').append(num(g.validation().mean())).append(',').append(g.diverged()).append(',').append(g.unfinished())
                    .append('\n');
        }
        return sb.toString();
    }

    public ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("sweep", name);
        root.put("cells", cells);
        root.set("axes", JSON.valueToTree(axes));
        ArrayNode gs = root.putArray("groups");
        for (Group g : groups) {
            ObjectNode o = gs.addObject();
            ObjectNode s = o.putObject("setting");
            g.setting().forEach(s::set);
            o.put("rule", g.rule());
            o.set("final_test_accuracy", stats(g.finalTest()));
            o.set("best_test_accuracy", stats(g.bestTest()));
            o.set("validation_accuracy", stats(g.validation()));
            o.put("diverged", g.diverged());
            o.put("unfinished", g.unfinished());
            ArrayNode names = o.putArray("cells");
            g.cells().forEach(c -> names.add(c.cell().name()));
        }
        ArrayNode best = root.putArray("best_per_rule");
        bestPerRule().forEach((rule, g) -> {
            ObjectNode o = best.addObject();
            o.put("rule", rule);
            ObjectNode s = o.putObject("setting");
            g.setting().forEach(s::set);
            o.set("validation_accuracy", stats(g.validation()));
            o.set("test_accuracy", stats(g.finalTest()));
        });
        return root;
    }

    private static ObjectNode stats(Stats s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("n", s.n());
        putNumber(o, "mean", s.mean());
        putNumber(o, "sd", s.sd());
        putNumber(o, "ci95_low", s.ciLow());
        putNumber(o, "ci95_high", s.ciHigh());
        return o;
    }

    private static void putNumber(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v); else o.putNull(k);
    }

    static String show(JsonNode v) {
        return v.isTextual() ? v.asText() : v.toString();
    }

    static String settingText(Map<String, JsonNode> setting) {
        List<String> parts = new ArrayList<>();
        setting.forEach((k, v) -> { if (!k.equals("rule")) parts.add(k + " " + show(v)); });
        return parts.isEmpty() ? "(its only setting)" : String.join(", ", parts);
    }

    private static String pm(Stats s) {
        if (s.n() == 0) return "n/a";
        if (s.n() == 1) return String.format(Locale.ROOT, "%.2f", s.mean());
        return String.format(Locale.ROOT, "%.2f ± %.2f", s.mean(), s.halfWidth());
    }

    private static String mean(Stats s) {
        return s.n() == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", s.mean());
    }

    private static String ci(Stats s) {
        return s.n() < 2 ? "n/a (one seed)" : String.format(Locale.ROOT, "[%.2f, %.2f]", s.ciLow(), s.ciHigh());
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "";
    }

    static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
