package org.creditlab.sweep;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.experiment.AtomicFiles;
import org.creditlab.experiment.ConfigResolver;

/**
 * attempts/CELL.json: each time {@code sweep run-cell} started the cell (what it did, where, and the exit status
 * once known). Only the process running the cell writes it. A started attempt without an exit is one that was
 * killed (kill -9, a node lost, a signal whose hook ended the JVM first): the run directory then tells the rest.
 */
public final class Attempts {
    /** Exit statuses of a run that stopped without failing: completed, diverged, SIGINT, SIGTERM, SIGKILL (128 + 9). */
    static final List<Integer> NOT_FAILURES = List.of(0, 3, 130, 143, 137);

    private final Path file;
    private final List<Map<String, Object>> entries;

    private Attempts(Path file, List<Map<String, Object>> entries) {
        this.file = file;
        this.entries = entries;
    }

    public static Attempts read(Path file) {
        if (!Files.exists(file)) return new Attempts(file, new ArrayList<>());
        try {
            List<Map<String, Object>> e = ConfigResolver.JSON.readValue(Files.readString(file),
                    new TypeReference<List<Map<String, Object>>>() { });
            return new Attempts(file, e == null ? new ArrayList<>() : new ArrayList<>(e));
        } catch (IOException e) {
            // a file that cannot be read counts as no attempts: the run directory still tells the cell's state
            return new Attempts(file, new ArrayList<>());
        }
    }

    public int count() { return entries.size(); }

    /** Attempts that ended in a failure (exit 1, 2, ...): what the retry limit counts. */
    public int failures() {
        return (int) entries.stream().filter(e -> e.get("exit") instanceof Number n && !NOT_FAILURES.contains(n.intValue())).count();
    }

    /** The last attempt's exit status, or null (none yet, or it was killed before it could say). */
    public Integer lastExit() {
        if (entries.isEmpty()) return null;
        return entries.get(entries.size() - 1).get("exit") instanceof Number n ? n.intValue() : null;
    }

    public boolean lastFailed() {
        Integer e = lastExit();
        return e != null && !NOT_FAILURES.contains(e);
    }

    public void started(String action) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("started", now());
        e.put("action", action);
        e.put("host", host());
        String job = System.getenv("SLURM_ARRAY_JOB_ID");
        if (job != null) e.put("slurm_job", job + "_" + System.getenv("SLURM_ARRAY_TASK_ID"));
        e.put("pid", ProcessHandle.current().pid());
        entries.add(e);
        write();
    }

    public void ended(int exit) {
        Map<String, Object> e = entries.get(entries.size() - 1);
        e.put("ended", now());
        e.put("exit", exit);
        write();
    }

    private void write() {
        AtomicFiles.writeString(file, ConfigResolver.toJson(entries) + "\n");
    }

    private static String now() { return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(); }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "?";
        }
    }
}
