package org.creditlab.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.creditlab.UserError;
import org.creditlab.report.AlignmentPlot;
import org.creditlab.report.CurvePlot;

/**
 * The run's files: config.json (fully resolved), metrics.jsonl (one JSON object per evaluation or
 * event), result.json, curves.png and, when diagnostics are on, alignment.png. Each is rewritten atomically whenever it changes, so a killed run
 * leaves complete files describing everything up to its last evaluation. result.json is written when the
 * run starts and after every epoch (status {@code running}) and at the end.
 *
 * <p>The static {@code claim} methods decide whether a directory may be written at all: one process at a
 * time ({@link RunLock}), never over an earlier run unless asked, and with the temporary files of a killed
 * writer removed first.
 */
public final class RunDirectory implements RunListener {
    static final ObjectMapper LINE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final List<String> lines = new ArrayList<>();
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private final List<Map<String, Object>> alignment = new ArrayList<>();
    private final List<Map<String, Object>> resumes = new ArrayList<>();
    private String title = "";

    /** The files that make a directory hold a run. */
    static final List<String> RECORD_FILES = List.of("config.json", "metrics.jsonl", "result.json");
    /** Every file a run writes (what {@code --overwrite} replaces; nothing else in the directory is touched). */
    static final List<String> RUN_FILES = List.of("config.json", "metrics.jsonl", "result.json", "curves.png",
            "alignment.png", Checkpoint.FILE);

    public RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Claims {@code dir} for a new run: creates it, locks it for this process's lifetime, and refuses a
     * directory that holds a run (unless {@code overwrite}, which deletes that run's files) or whose
     * config.json is the {@code --config} file being read. Temporary files of a killed run are removed.
     *
     * @param configFile the --config file, or null
     * @throws UserError with one line if the directory is in use, holds a run, or cannot be created
     */
    public static RunLock claimNew(Path dir, boolean overwrite, Path configFile) {
        if (dir.toString().isBlank()) throw new UserError("--out must name a directory, got an empty path");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError("--out " + dir + " is a file, not a directory");
        }
        boolean created = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create run directory " + dir + ": " + reason(e));
        }
        return claimCreated(dir, created, overwrite, configFile);
    }

    /**
     * Creates and claims a new directory {@code base}, or {@code base-2}, {@code base-3}, ... when that exists
     * (two runs started in the same second): each name is created atomically, so no two processes get one.
     */
    public static RunLock claimUnique(Path base) {
        try {
            Path parent = base.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            for (int i = 1; ; i++) {
                Path p = i == 1 ? base : Path.of(base + "-" + i);
                try {
                    Files.createDirectory(p);
                    return claimCreated(p, true, false, null);
                } catch (FileAlreadyExistsException e) {
                    // taken: try the next suffix
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot create run directory " + base + ": " + reason(e));
        }
    }

    private static RunLock claimCreated(Path dir, boolean created, boolean overwrite, Path configFile) {
        RunLock lock = RunLock.acquire(dir, created);
        return preparedUnderLock(dir, lock, () -> {
            if (configFile != null) {
                for (String f : RUN_FILES) {
                    Path target = dir.resolve(f);
                    if (Files.exists(target) && Files.exists(configFile) && Files.isSameFile(configFile, target)) {
                        throw new UserError("--config " + configFile + " is the " + f + " that the run in " + dir
                                + " would overwrite; copy it elsewhere or choose another --out");
                    }
                }
            }
            List<String> held = RECORD_FILES.stream().filter(f -> Files.exists(dir.resolve(f))).toList();
            if (!held.isEmpty() && !overwrite) {
                throw new UserError("run directory " + dir + " already holds a run (" + describe(dir, held)
                        + "); pass --overwrite to replace it, or --resume " + dir + " to continue it");
            }
            // A run's files here are either being overwritten or the leftovers of a start killed before
            // config.json was written (a lone checkpoint); either way they are not this run's.
            for (String f : RUN_FILES) Files.deleteIfExists(dir.resolve(f));
            removeStaleTemps(dir);
        });
    }

    /**
     * Claims an existing run directory for {@code --resume}: locked, holding a config.json, with the
     * temporary files of a killed writer removed.
     */
    public static RunLock claimForResume(Path dir) {
        if (dir.toString().isBlank()) throw new UserError("--resume must name a run directory, got an empty path");
        if (!Files.isDirectory(dir)) throw new UserError("--resume " + dir + ": no such run directory");
        RunLock lock = RunLock.acquire(dir, false);
        return preparedUnderLock(dir, lock, () -> {
            if (!Files.exists(dir.resolve("config.json"))) {
                throw new UserError(dir + " is not a run directory (it has no config.json)");
            }
            removeStaleTemps(dir);
        });
    }

    /** File work done while holding a fresh lock. */
    private interface LockedWork {
        void run() throws IOException;
    }

    /** Runs {@code work} under {@code lock} and returns the lock; on any failure the lock is released first. */
    private static RunLock preparedUnderLock(Path dir, RunLock lock, LockedWork work) {
        try {
            work.run();
            return lock;
        } catch (IOException e) {
            lock.close();
            throw new UserError("cannot prepare run directory " + dir + ": " + reason(e));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Deletes the hidden temporary files {@link AtomicFiles} leaves when its process is killed mid-write
     * ({@code .result.json123.tmp}, {@code checkpoints/.last.zip456.tmp}). Only call with the lock held: a
     * live writer's temporary files are its own.
     */
    static void removeStaleTemps(Path dir) throws IOException {
        for (Path d : List.of(dir, dir.resolve(Checkpoint.FILE).getParent())) {
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : files.toList()) {
                    if (isTemp(f.getFileName().toString())) Files.deleteIfExists(f);
                }
            }
        }
    }

    static boolean isTemp(String name) {
        if (!name.startsWith(".") || !name.endsWith(AtomicFiles.TEMP_SUFFIX)) return false;
        for (String f : RUN_FILES) {
            if (name.startsWith("." + Path.of(f).getFileName())) return true;
        }
        return false;
    }

    private static String describe(Path dir, List<String> held) {
        com.fasterxml.jackson.databind.JsonNode result;
        try {
            result = readResult(dir);
        } catch (UserError e) {
            result = null;
        }
        if (result == null || !result.has("status")) return String.join(", ", held);
        return "status " + result.path("status").asText() + ", " + result.path("final").path("epochs").asInt() + " epochs";
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * A run directory being continued from a checkpoint: keeps the metrics lines written up to the
     * checkpoint (dropping any written after it) and appends; result.json keeps its earlier resume events
     * and gains {@code resume}.
     */
    public static RunDirectory resuming(Path dir, Checkpoint.Position from, Map<String, Object> resume) {
        RunDirectory rd = new RunDirectory(dir);
        rd.resumes.addAll(previousResumes(dir));
        if (resume != null) rd.resumes.add(resume);
        Path metrics = dir.resolve("metrics.jsonl");
        if (!java.nio.file.Files.exists(metrics)) return rd;
        try {
            for (String line : java.nio.file.Files.readAllLines(metrics)) {
                if (line.isBlank()) continue;
                com.fasterxml.jackson.databind.JsonNode n = LINE.readTree(line);
                if (!writtenBefore(n, from)) continue;
                rd.lines.add(line);
                if (EpochMetrics.TYPE.equals(n.path("type").asText())) rd.epochs.add(parseEpoch(n));
                if ("alignment".equals(n.path("type").asText())) {
                    rd.alignment.add(LINE.convertValue(n, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
                }
            }
        } catch (java.io.IOException e) {
            throw new org.creditlab.UserError("cannot read " + metrics + ": " + e.getMessage());
        }
        return rd;
    }

    /**
     * Whether a metrics line belongs to the training the checkpoint holds: epoch and crash lines of completed
     * epochs, and alignment lines (taken during a step, numbered from 0) of the steps before the checkpoint,
     * which may be part-way through an epoch when the run was interrupted.
     */
    static boolean writtenBefore(com.fasterxml.jackson.databind.JsonNode line, Checkpoint.Position from) {
        if (line.path("epoch").asInt(0) <= from.epochsDone()) return true;
        return "alignment".equals(line.path("type").asText()) && line.path("step").asLong(Long.MAX_VALUE) < from.step();
    }

    private static List<Map<String, Object>> previousResumes(Path dir) {
        com.fasterxml.jackson.databind.JsonNode previous = readResult(dir);
        if (previous == null || !previous.path("resumes").isArray()) return List.of();
        return LINE.convertValue(previous.get("resumes"), new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() { });
    }

    /** The run's result.json as a tree, or null when there is none yet. */
    public static com.fasterxml.jackson.databind.JsonNode readResult(Path dir) {
        Path file = dir.resolve("result.json");
        if (!Files.exists(file)) return null;
        try {
            return LINE.readTree(Files.readString(file));
        } catch (java.io.IOException e) {
            throw new org.creditlab.UserError("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static EpochMetrics parseEpoch(com.fasterxml.jackson.databind.JsonNode n) {
        return new EpochMetrics(n.path("epoch").asInt(), n.path("step").asLong(), num(n, "train_loss"), num(n, "test_loss"),
                num(n, "test_accuracy"), num(n, "validation_loss"), num(n, "validation_accuracy"), n.path("lr").asDouble(),
                0, null);
    }

    private static Double num(com.fasterxml.jackson.databind.JsonNode n, String key) {
        return n.has(key) && n.get(key).isNumber() ? n.get(key).asDouble() : null;
    }

    public Path dir() { return dir; }

    /** The last epoch line kept (when resuming), or null. */
    public EpochMetrics lastEpoch() { return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1); }

    @Override public void onStart(RunInfo run) {
        title = run.config().rule + " on " + run.data().dataset() + " (" + run.networkDescription() + ")";
        AtomicFiles.writeString(dir.resolve("config.json"), ConfigResolver.toJson(run.config()) + "\n");
    }

    @Override public void onEpoch(EpochMetrics m) {
        epochs.add(m);
        appendLine(LINE.valueToTree(m).toString());
        plot();
    }

    @Override public void onEvent(Map<String, Object> event) {
        appendLine(LINE.valueToTree(event).toString());
        if ("alignment".equals(event.get("type"))) {
            alignment.add(event);
            AtomicFiles.writeWith(dir.resolve("alignment.png"), tmp -> AlignmentPlot.write(alignment, title, tmp));
        }
    }

    @Override public void onProgress(RunResult soFar) {
        writeResult(soFar);
    }

    @Override public void onEnd(RunResult result) {
        plot();
        writeResult(result); // last: a final status in result.json means every file is complete
    }

    private void writeResult(RunResult result) {
        ObjectNode tree = ConfigResolver.JSON.valueToTree(result);
        if (!resumes.isEmpty()) tree.set("resumes", ConfigResolver.JSON.valueToTree(resumes));
        AtomicFiles.writeString(dir.resolve("result.json"), ConfigResolver.toJson(tree) + "\n");
    }

    private void appendLine(String line) {
        lines.add(line);
        AtomicFiles.writeString(dir.resolve("metrics.jsonl"), String.join("\n", lines) + "\n");
    }

    private void plot() {
        if (epochs.isEmpty()) return;
        AtomicFiles.writeWith(dir.resolve("curves.png"), tmp -> CurvePlot.write(epochs, title, tmp));
    }
}
