package org.creditlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.creditlab.experiment.AtomicFiles;
import org.creditlab.report.ComparisonPlot;
import org.creditlab.report.ComparisonTable;
import org.creditlab.report.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code credit report RUN_DIR...}: one comparison table (and optionally a figure) from finished runs. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Compare runs: a Markdown table of test accuracy (against a baseline run) and the final angle "
                + "of each layer's update to the backprop gradient; optionally a PNG of accuracy per epoch.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run directories (non-run folders are skipped).")
    List<Path> runs;
    @Option(names = "--baseline", paramLabel = "RUN_DIR", description = "Run to compare accuracies against (e.g. the bp run).")
    Path baseline;
    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also write test accuracy per epoch of every run.")
    Path plot;

    @Override public Integer call() throws Exception {
        if (plot != null) OutputPaths.checkFile(plot, "--plot");
        List<RunSummary> summaries = new ArrayList<>();
        for (Path p : runs) {
            if (Files.isDirectory(p) && Files.exists(p.resolve("config.json"))) summaries.add(RunSummary.read(p));
        }
        if (summaries.isEmpty()) throw new org.creditlab.UserError("no run directories among the arguments");
        RunSummary base = baseline == null ? null : RunSummary.read(baseline);
        System.out.print(ComparisonTable.markdown(summaries, base));
        if (plot != null) {
            AtomicFiles.writeWith(plot, tmp -> ComparisonPlot.write(summaries, "test accuracy per epoch", tmp));
        }
        return 0;
    }
}
