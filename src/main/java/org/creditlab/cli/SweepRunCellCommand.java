package org.creditlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.creditlab.sweep.CellRunner;
import org.creditlab.sweep.SweepDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code credit sweep run-cell DIR INDEX}: one cell, what each Slurm array task and each local child runs. */
@Command(name = "run-cell", mixinStandardHelpOptions = true,
        description = {"Run one cell of a sweep: nothing if it finished, --resume from its checkpoint if it has one, else a new run.",
                "Exit status: that of 'credit train' (0, 2, 3, 130, 143), or 4 when the cell failed max_attempts times."})
public final class SweepRunCellCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The sweep directory.")
    Path dir;
    @Parameters(index = "1", paramLabel = "INDEX", description = "The cell's index (as in 'credit sweep plan' and the manifest).")
    int index;
    @Option(names = "--threads", paramLabel = "T", description = "Threads of the run (default 1).")
    int threads = 1;

    @Override public Integer call() {
        if (threads < 1) throw new org.creditlab.UserError("--threads must be >= 1, got " + threads);
        return CellRunner.run(SweepDirectory.open(dir), index, threads, System.out, args -> CreditMain.commandLine().execute(args));
    }
}
