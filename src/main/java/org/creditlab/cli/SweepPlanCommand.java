package org.creditlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.creditlab.sweep.Cell;
import org.creditlab.sweep.Expansion;
import org.creditlab.sweep.SweepFileReader;
import org.creditlab.sweep.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code credit sweep plan FILE}: the cells a sweep file makes, without running anything. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print the cells of a sweep file (their values and directory names) and their count; runs nothing.")
public final class SweepPlanCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The sweep file (JSON).")
    Path file;

    @Override public Integer call() {
        SweepSpec spec = SweepFileReader.read(file);
        List<Cell> cells = Expansion.expand(spec);
        System.out.println("| # | cell | values |");
        System.out.println("|---|---|---|");
        for (Cell c : cells) System.out.println("| " + c.index() + " | " + c.name() + " | " + c.describe() + " |");
        System.out.println();
        System.out.println(cells.size() + " cells; 'credit sweep run " + file + "' runs them in " + Path.of("runs", spec.name()));
        return 0;
    }
}
