package org.creditlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.creditlab.UserError;
import org.creditlab.experiment.AtomicFiles;
import org.creditlab.report.ComparisonPlot;
import org.creditlab.report.ComparisonTable;
import org.creditlab.report.RunSummary;
import org.creditlab.sweep.SweepDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code credit report RUN_DIR...}: one comparison table (and optionally a figure) from finished runs. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Compare runs: a table of test accuracy (against a baseline run) and the final angle "
                + "of each layer's update to the backprop gradient; optionally a PNG of accuracy per epoch.",
                "Given one sweep directory, prints its fair comparison (as 'credit sweep report DIR')."})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run directories (non-run folders are skipped), or one sweep directory.")
    List<Path> runs;
    @Option(names = "--baseline", paramLabel = "RUN_DIR", description = "Run to compare accuracies against (e.g. the bp run).")
    Path baseline;
    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also write test accuracy per epoch of every run.")
    Path plot;
    @Option(names = "--format", paramLabel = "FMT", description = "md (Markdown, default), csv or json.")
    String format = "md";

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws Exception {
        java.io.PrintWriter err = spec.commandLine().getErr();
        if (!List.of("md", "csv", "json").contains(format)) throw new UserError("--format must be md, csv or json, got '" + format + "'");
        if (runs.size() == 1 && SweepDirectory.isSweep(runs.get(0))) {
            if (baseline != null || plot != null) throw new UserError("--baseline and --plot are for run directories; a sweep report writes its own figures");
            return SweepReportCommand.write(SweepDirectory.open(runs.get(0)), format);
        }
        if (plot != null) OutputPaths.checkFile(plot, "--plot");
        List<RunSummary> summaries = new ArrayList<>();
        for (Path p : runs) {
            if (!Files.isDirectory(p) || !Files.exists(p.resolve("config.json"))) continue;
            try {
                summaries.add(RunSummary.read(p));
            } catch (UserError unreadable) {
                // one damaged run must not hide the others: say so and go on
                err.println("credit: warning: skipped " + p + ": " + unreadable.getMessage());
            }
        }
        if (summaries.isEmpty()) throw new UserError("no readable run directories among the arguments");
        TreeSet<String> datasets = new TreeSet<>();
        summaries.forEach(s -> datasets.add(s.dataset()));
        if (datasets.size() > 1) {
            err.println("credit: warning: these runs are on different datasets (" + String.join(", ", datasets)
                    + "): their accuracies are not comparable");
        }
        RunSummary base = baseline == null ? null : RunSummary.read(baseline);
        System.out.print(switch (format) {
            case "csv" -> ComparisonTable.csv(summaries, base);
            case "json" -> ComparisonTable.json(summaries, base);
            default -> ComparisonTable.markdown(summaries, base);
        });
        if (plot != null) {
            AtomicFiles.writeWith(plot, tmp -> ComparisonPlot.write(summaries, "test accuracy per epoch", tmp));
        }
        return 0;
    }
}
