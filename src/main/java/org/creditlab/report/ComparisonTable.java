package org.creditlab.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** A Markdown table of runs: accuracy next to a baseline's and the final angle to the backprop gradient per layer. */
public final class ComparisonTable {
    private ComparisonTable() { }

    public static String markdown(List<RunSummary> runs, RunSummary baseline) {
        TreeSet<String> layers = new TreeSet<>();
        runs.forEach(r -> layers.addAll(r.finalAngles().keySet()));
        StringBuilder sb = new StringBuilder();
        sb.append("| run | rule | dataset | network | epochs | test acc (%) |");
        if (baseline != null) sb.append(" vs ").append(baseline.dir().getFileName()).append(" |");
        sb.append(" best (%) |");
        for (String l : layers) sb.append(" ∠ ").append(l).append(" (°) |");
        sb.append(" samples/s | status |\n|---|---|---|---|---|---|");
        if (baseline != null) sb.append("---|");
        sb.append("---|");
        sb.append("---|".repeat(layers.size())).append("---|---|\n");
        for (RunSummary r : runs) {
            sb.append("| ").append(r.dir().getFileName()).append(" | ").append(r.rule()).append(" | ").append(r.dataset()).append(" | ")
                    .append(r.network()).append(r.hidden().isEmpty() ? "" : " " + r.hidden()).append(" | ").append(r.epochs()).append(" | ")
                    .append(fmt(r.testAccuracy())).append(" |");
            if (baseline != null) {
                sb.append(' ').append(r.testAccuracy() == null || baseline.testAccuracy() == null ? "n/a"
                        : String.format(Locale.ROOT, "%+.2f", r.testAccuracy() - baseline.testAccuracy())).append(" |");
            }
            sb.append(' ').append(fmt(r.bestTestAccuracy())).append(" |");
            Map<String, Double> a = r.finalAngles();
            for (String l : layers) sb.append(' ').append(a.containsKey(l) ? String.format(Locale.ROOT, "%.1f", a.get(l)) : "").append(" |");
            sb.append(String.format(Locale.ROOT, " %.0f | %s |%n", r.samplesPerSecond(), r.status()));
        }
        return sb.toString();
    }

    /** One row per run: the same columns as the Markdown table, the angles as angle_LAYER. */
    public static String csv(List<RunSummary> runs, RunSummary baseline) {
        TreeSet<String> layers = new TreeSet<>();
        runs.forEach(r -> layers.addAll(r.finalAngles().keySet()));
        StringBuilder sb = new StringBuilder("run,rule,dataset,network,shape,epochs,test_accuracy");
        if (baseline != null) sb.append(",vs_baseline");
        sb.append(",best_test_accuracy");
        for (String l : layers) sb.append(",angle_").append(l);
        sb.append(",samples_per_second,status\n");
        for (RunSummary r : runs) {
            sb.append(field(r.dir().getFileName().toString())).append(',').append(field(r.rule())).append(',').append(field(r.dataset()))
                    .append(',').append(field(r.network())).append(',').append(field(r.hidden())).append(',').append(r.epochs())
                    .append(',').append(num(r.testAccuracy()));
            if (baseline != null) {
                sb.append(',').append(r.testAccuracy() == null || baseline.testAccuracy() == null ? ""
                        : num(r.testAccuracy() - baseline.testAccuracy()));
            }
            sb.append(',').append(num(r.bestTestAccuracy()));
            for (String l : layers) sb.append(',').append(num(r.finalAngles().get(l)));
            sb.append(',').append(num(r.samplesPerSecond())).append(',').append(field(r.status())).append('\n');
        }
        return sb.toString();
    }

    /** A JSON list of the runs, one object each. */
    public static String json(List<RunSummary> runs, RunSummary baseline) {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        var arr = mapper.createArrayNode();
        for (RunSummary r : runs) {
            var o = arr.addObject();
            o.put("run", r.dir().toString());
            o.put("rule", r.rule());
            o.put("dataset", r.dataset());
            o.put("network", r.network());
            o.put("shape", r.hidden());
            o.put("epochs", r.epochs());
            o.put("status", r.status());
            if (r.testAccuracy() != null) o.put("test_accuracy", r.testAccuracy()); else o.putNull("test_accuracy");
            if (baseline != null && r.testAccuracy() != null && baseline.testAccuracy() != null) {
                o.put("vs_baseline", r.testAccuracy() - baseline.testAccuracy());
            }
            if (r.bestTestAccuracy() != null) o.put("best_test_accuracy", r.bestTestAccuracy()); else o.putNull("best_test_accuracy");
            var a = o.putObject("final_angle_to_bp");
            r.finalAngles().forEach((k, v) -> { if (Double.isFinite(v)) a.put(k, v); });
            if (Double.isFinite(r.samplesPerSecond())) o.put("samples_per_second", r.samplesPerSecond());
        }
        try {
            return mapper.writeValueAsString(arr) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String num(Double v) {
        return v == null || !Double.isFinite(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String field(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
