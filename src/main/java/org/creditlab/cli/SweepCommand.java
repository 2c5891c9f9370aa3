package org.creditlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code credit sweep}: the parent of plan, run, status, report and run-cell. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a grid / random search over config keys and rule options, with seeds, as ordinary run directories,"
                + " on this machine or on Slurm, and compare the rules fairly (best setting chosen on validation accuracy).",
                "A sweep file (JSON): {\"name\": ..., \"base\": {config keys}, \"grid\": {key: [values]}, \"random\": {\"samples\": N,"
                        + " \"axes\": {key: {\"log-uniform\": [a, b]}}}, \"seeds\": [1, 2, 3]}; see README.md, 'Sweeps'."},
        subcommands = {SweepPlanCommand.class, SweepRunCommand.class, SweepStatusCommand.class, SweepReportCommand.class,
                SweepRunCellCommand.class})
public final class SweepCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }
}
