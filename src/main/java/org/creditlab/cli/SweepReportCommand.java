package org.creditlab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.creditlab.experiment.AtomicFiles;
import org.creditlab.experiment.ConfigResolver;
import org.creditlab.report.SweepPlots;
import org.creditlab.report.SweepReport;
import org.creditlab.sweep.SweepDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code credit sweep report DIR}: the fair comparison table, its CSV and JSON, and the figures, into the sweep directory. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Group a sweep's cells by everything but the seed: mean ± 95 % CI (Student t) and n of final and best"
                + " test accuracy; per rule the setting with the best validation accuracy and its test accuracy.",
                "Writes report.md, report.csv, report.json, accuracy-vs-lr.png and curves.png into DIR and prints the table."})
public final class SweepReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The sweep directory.")
    Path dir;
    @Option(names = "--format", paramLabel = "FMT", description = "What to print: md (default), csv or json (all three are written).")
    String format = "md";

    @Override public Integer call() throws IOException {
        return write(SweepDirectory.open(dir), format);
    }

    static int write(SweepDirectory sweep, String format) throws IOException {
        if (!List.of("md", "csv", "json").contains(format)) {
            throw new org.creditlab.UserError("--format must be md, csv or json, got '" + format + "'");
        }
        Path dir = sweep.dir();
        SweepReport report = SweepReport.of(sweep);
        String md = report.markdown();
        String csv = report.csv();
        String json = ConfigResolver.toJson(report.json()) + "\n";
        AtomicFiles.writeString(dir.resolve("report.md"), md);
        AtomicFiles.writeString(dir.resolve("report.csv"), csv);
        AtomicFiles.writeString(dir.resolve("report.json"), json);
        List<String> figures = new ArrayList<>();
        String title = "sweep " + sweep.manifest().name();
        boolean[] lr = new boolean[1];
        AtomicFiles.writeWith(dir.resolve("accuracy-vs-lr.png"), tmp -> lr[0] = SweepPlots.accuracyVsLr(report, title, tmp));
        if (lr[0]) figures.add("accuracy-vs-lr.png"); else java.nio.file.Files.deleteIfExists(dir.resolve("accuracy-vs-lr.png"));
        var best = report.bestPerRule();
        var curves = best.isEmpty() ? report.groups().subList(0, Math.min(8, report.groups().size())) : List.copyOf(best.values());
        AtomicFiles.writeWith(dir.resolve("curves.png"), tmp -> SweepPlots.curves(curves, title + (best.isEmpty() ? "" : ": best setting per rule"), tmp));
        figures.add("curves.png");
        System.out.print(switch (format) {
            case "csv" -> csv;
            case "json" -> json;
            default -> md;
        });
        System.err.println("credit: wrote report.md, report.csv, report.json, " + String.join(", ", figures) + " in " + dir);
        return 0;
    }
}
