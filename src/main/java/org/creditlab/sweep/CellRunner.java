package org.creditlab.sweep;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.creditlab.UserError;

/**
 * {@code credit sweep run-cell DIR INDEX}: brings one cell to an end, whoever calls it (the local executor's
 * child, a Slurm array task, a user). It decides from the cell's directory what to do: nothing for a finished
 * cell; {@code credit train --resume} for one that has a checkpoint (interrupted, killed, preempted, or failed
 * after it started training); a new {@code credit train --config configs/CELL.json --out DIR/CELL} otherwise. The
 * train command runs in this process, so its signal handling (checkpoint on SIGTERM) is the cell's.
 */
public final class CellRunner {
    /** Exit status of run-cell for a cell that failed as often as the sweep allows, and of a sweep left unfinished. */
    public static final int GAVE_UP = 4;

    private CellRunner() { }

    /** What to run for the cell, as {@code credit} arguments; null when there is nothing to do. */
    public static List<String> trainArguments(SweepDirectory sweep, Cell cell, int threads) {
        Path run = sweep.runDir(cell);
        List<String> args = new ArrayList<>(List.of("train"));
        if (CellState.resumable(run)) {
            args.addAll(List.of("--resume", run.toString()));
        } else {
            args.addAll(List.of("--config", sweep.configFile(cell).toString(), "--out", run.toString()));
            // a directory with a run's files but no checkpoint to continue: a start that failed; start afresh
            if (Files.exists(run.resolve("config.json"))) args.add("--overwrite");
        }
        args.addAll(List.of("--threads", Integer.toString(threads)));
        return args;
    }

    /**
     * Runs the cell once.
     *
     * @param credit runs {@code credit ARGS} and returns its exit status (in-process)
     * @return the train command's exit status, 0 for a cell already finished, {@link #GAVE_UP} for one out of attempts
     */
    public static int run(SweepDirectory sweep, int index, int threads, PrintStream out, Function<String[], Integer> credit) {
        Cell cell = sweep.cell(index);
        if (cell.retired()) {
            out.println("cell " + index + " (" + cell.name() + ") was retired when the sweep was extended: nothing to do");
            return 0;
        }
        CellState state = CellState.of(sweep, cell);
        int max = sweep.manifest().maxAttempts();
        switch (state.status()) {
            case COMPLETED, DIVERGED -> {
                out.println("cell " + index + " (" + cell.name() + ") is already " + state.status().label() + ": nothing to do");
                return 0;
            }
            case RUNNING -> throw new UserError("cell " + index + " (" + cell.name() + ") is being run by another process");
            case FAILED -> {
                if (state.failures() >= max) {
                    out.println("cell " + index + " (" + cell.name() + ") failed " + state.failures() + " times (max_attempts "
                            + max + "): not started again; see " + sweep.logFile(cell));
                    return GAVE_UP;
                }
            }
            default -> { }
        }
        List<String> args = trainArguments(sweep, cell, threads);
        Attempts attempts = Attempts.read(sweep.attemptsFile(cell));
        String action = args.contains("--resume") ? "resume" : state.status() == CellState.Status.FAILED ? "retry" : "new";
        attempts.started(action);
        out.println("cell " + index + " (" + cell.name() + "): " + action + ": credit " + String.join(" ", args));
        out.flush();
        int code = credit.apply(args.toArray(String[]::new));
        attempts.ended(code);
        return code;
    }
}
