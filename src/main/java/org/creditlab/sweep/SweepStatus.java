package org.creditlab.sweep;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code credit sweep status DIR}: a count per status and a Markdown table of the cells. */
public final class SweepStatus {
    private SweepStatus() { }

    public static List<CellState> states(SweepDirectory sweep) {
        return sweep.cells().stream().map(c -> CellState.of(sweep, c)).toList();
    }

    /** "12 cells: 8 completed, 2 running, 1 failed, 1 pending". */
    public static String counts(List<CellState> states) {
        Map<CellState.Status, Integer> n = new EnumMap<>(CellState.Status.class);
        states.forEach(s -> n.merge(s.status(), 1, Integer::sum));
        StringBuilder sb = new StringBuilder(states.size() + " cells:");
        String sep = " ";
        for (CellState.Status s : List.of(CellState.Status.COMPLETED, CellState.Status.RUNNING, CellState.Status.FAILED,
                CellState.Status.DIVERGED, CellState.Status.INTERRUPTED, CellState.Status.PENDING)) {
            sb.append(sep).append(n.getOrDefault(s, 0)).append(' ').append(s.label());
            sep = ", ";
        }
        return sb.toString();
    }

    public static String table(SweepDirectory sweep, List<CellState> states) {
        StringBuilder sb = new StringBuilder();
        sb.append(counts(states)).append("\n\n");
        sb.append("| # | cell | status | epochs | test acc (%) | val acc (%) | attempts | note |\n|---|---|---|---|---|---|---|---|\n");
        int max = sweep.manifest().maxAttempts();
        for (CellState s : states) {
            String note = s.message() == null ? "" : s.message().replace("|", "/");
            if (s.status() == CellState.Status.FAILED && !s.runnable(max)) note = "gave up after " + s.failures() + " failures; " + note;
            sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %s | %s | %d | %s |%n", s.cell().index(), s.cell().name(),
                    s.status().label(), s.epochs(), fmt(s.testAccuracy()), fmt(s.validationAccuracy()), s.attempts(), note));
        }
        return sb.toString();
    }

    static String fmt(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2f", v);
    }
}
