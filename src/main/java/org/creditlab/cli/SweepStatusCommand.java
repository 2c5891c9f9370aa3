package org.creditlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.creditlab.sweep.SweepDirectory;
import org.creditlab.sweep.SweepStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code credit sweep status DIR}: where every cell stands, read from the run directories (also while Slurm runs them). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Counts and a table of a sweep's cells: completed / running / failed / diverged / interrupted / pending, with their accuracy.")
public final class SweepStatusCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The sweep directory (runs/NAME).")
    Path dir;

    @Override public Integer call() {
        SweepDirectory sweep = SweepDirectory.open(dir);
        System.out.print(SweepStatus.table(sweep, SweepStatus.states(sweep)));
        return 0;
    }
}
