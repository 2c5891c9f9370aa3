package org.creditlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.creditlab.UserError;
import org.creditlab.experiment.Checkpoint;
import org.creditlab.experiment.RunDirectory;
import org.creditlab.experiment.RunLock;
import org.creditlab.experiment.RunResult;

/**
 * Where a cell stands, read from its run directory (result.json, the lock) and its attempts: never from a
 * record of the sweep's own, so that a cell run by hand, by Slurm or by the local executor reads the same.
 *
 * @param epochs           epochs done (0 when pending)
 * @param testAccuracy     final test accuracy so far (%), or null
 * @param validationAccuracy final validation accuracy so far (%), or null
 * @param failures         attempts that failed (the retry limit counts these)
 */
public record CellState(Cell cell, Status status, int epochs, Double testAccuracy, Double validationAccuracy,
                        int attempts, int failures, String message) {

    public enum Status {
        PENDING, RUNNING, COMPLETED, DIVERGED, INTERRUPTED, FAILED;

        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /** Whether the cell has its result: a diverged run is a result of its setting, not something to redo. */
    public boolean finished() { return status == Status.COMPLETED || status == Status.DIVERGED; }

    /** Whether an executor should start it now: pending, interrupted, or failed with attempts left. */
    public boolean runnable(int maxAttempts) {
        return switch (status) {
            case PENDING, INTERRUPTED -> true;
            case FAILED -> failures < maxAttempts;
            default -> false;
        };
    }

    public static CellState of(SweepDirectory sweep, Cell cell) {
        Path run = sweep.runDir(cell);
        Attempts attempts = Attempts.read(sweep.attemptsFile(cell));
        JsonNode result;
        try {
            result = Files.isDirectory(run) ? RunDirectory.readResult(run) : null;
        } catch (UserError unreadable) {
            return new CellState(cell, Status.FAILED, 0, null, null, attempts.count(), attempts.failures(), unreadable.getMessage());
        }
        boolean live = Files.isDirectory(run) && RunLock.isHeld(run);
        if (result == null) {
            Status s = live ? Status.RUNNING : attempts.lastFailed() ? Status.FAILED : Status.PENDING;
            return new CellState(cell, s, 0, null, null, attempts.count(), attempts.failures(),
                    s == Status.FAILED ? "exit " + attempts.lastExit() + " (see " + sweep.logFile(cell) + ")" : null);
        }
        JsonNode fin = result.path("final");
        Status s = switch (result.path("status").asText()) {
            case RunResult.COMPLETED -> Status.COMPLETED;
            case RunResult.DIVERGED -> Status.DIVERGED;
            case RunResult.INTERRUPTED -> live ? Status.RUNNING : Status.INTERRUPTED;
            case RunResult.FAILED -> Status.FAILED;
            // "running" with nobody holding the lock: killed (kill -9, scancel, a lost node) unless its attempt failed
            default -> live ? Status.RUNNING : attempts.lastFailed() ? Status.FAILED : Status.INTERRUPTED;
        };
        String message = result.path("message").asText(null);
        if (s == Status.FAILED && message == null) message = "exit " + attempts.lastExit() + " (see " + sweep.logFile(cell) + ")";
        return new CellState(cell, s, fin.path("epochs").asInt(0), number(fin, "test_accuracy"), number(fin, "validation_accuracy"),
                attempts.count(), attempts.failures(), message);
    }

    /** Whether the cell's run can be continued from a checkpoint rather than started again. */
    static boolean resumable(Path run) {
        return Files.exists(run.resolve("config.json")) && Files.exists(run.resolve(Checkpoint.FILE));
    }

    private static Double number(JsonNode n, String key) {
        return n.path(key).isNumber() ? n.get(key).asDouble() : null;
    }
}
