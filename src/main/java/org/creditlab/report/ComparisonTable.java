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
        sb.append("| run | rule | network | epochs | test acc (%) |");
        if (baseline != null) sb.append(" vs ").append(baseline.dir().getFileName()).append(" |");
        sb.append(" best (%) |");
        for (String l : layers) sb.append(" ∠ ").append(l).append(" (°) |");
        sb.append(" samples/s | status |\n|---|---|---|---|---|");
        if (baseline != null) sb.append("---|");
        sb.append("---|");
        sb.append("---|".repeat(layers.size())).append("---|---|\n");
        for (RunSummary r : runs) {
            sb.append("| ").append(r.dir().getFileName()).append(" | ").append(r.rule()).append(" | ")
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

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
