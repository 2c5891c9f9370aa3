package org.creditlab.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.creditlab.report.AlignmentPlot;
import org.creditlab.report.CurvePlot;

/**
 * The run's files: config.json (fully resolved), metrics.jsonl (one JSON object per evaluation or
 * event), result.json, curves.png and, when diagnostics are on, alignment.png. Each is rewritten atomically whenever it changes, so a killed run
 * leaves complete files describing everything up to its last evaluation.
 */
public final class RunDirectory implements RunListener {
    static final ObjectMapper LINE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final List<String> lines = new ArrayList<>();
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private final List<Map<String, Object>> alignment = new ArrayList<>();
    private String title = "";

    public RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * A run directory being continued from a checkpoint after {@code epochsDone} epochs: keeps the
     * metrics lines up to that point (dropping any written after the checkpoint) and appends.
     */
    public static RunDirectory resuming(Path dir, int epochsDone) {
        RunDirectory rd = new RunDirectory(dir);
        Path metrics = dir.resolve("metrics.jsonl");
        if (!java.nio.file.Files.exists(metrics)) return rd;
        try {
            for (String line : java.nio.file.Files.readAllLines(metrics)) {
                if (line.isBlank()) continue;
                com.fasterxml.jackson.databind.JsonNode n = LINE.readTree(line);
                if (n.path("epoch").asInt(0) > epochsDone) break;
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

    private static EpochMetrics parseEpoch(com.fasterxml.jackson.databind.JsonNode n) {
        return new EpochMetrics(n.path("epoch").asInt(), n.path("step").asLong(), num(n, "train_loss"), num(n, "test_loss"),
                num(n, "test_accuracy"), num(n, "validation_loss"), num(n, "validation_accuracy"), n.path("lr").asDouble(),
                0, null);
    }

    private static Double num(com.fasterxml.jackson.databind.JsonNode n, String key) {
        return n.has(key) && n.get(key).isNumber() ? n.get(key).asDouble() : null;
    }

    public Path dir() { return dir; }

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

    @Override public void onEnd(RunResult result) {
        AtomicFiles.writeString(dir.resolve("result.json"), ConfigResolver.toJson(result) + "\n");
        plot();
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
