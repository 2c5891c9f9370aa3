package org.creditlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.UserError;

/** What a finished (or stopped) run directory says, read back from its JSON files. */
public record RunSummary(Path dir, String rule, String dataset, String network, String hidden, String status,
                         Double testAccuracy, Double bestTestAccuracy, int epochs, double samplesPerSecond,
                         List<Double> accuracyPerEpoch, Map<String, Double> finalAngles) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static RunSummary read(Path dir) {
        try {
            JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
            Path resultFile = dir.resolve("result.json");
            JsonNode result = Files.exists(resultFile) ? JSON.readTree(resultFile.toFile()) : JSON.createObjectNode();
            JsonNode fin = result.path("final");
            List<Double> acc = new ArrayList<>();
            Map<String, Double> angles = new LinkedHashMap<>();
            Path metrics = dir.resolve("metrics.jsonl");
            if (Files.exists(metrics)) {
                for (String line : Files.readAllLines(metrics)) {
                    if (line.isBlank()) continue;
                    JsonNode n = JSON.readTree(line);
                    if (!"epoch".equals(n.path("type").asText())) continue;
                    acc.add(n.path("test_accuracy").asDouble(Double.NaN));
                    angles.clear();
                    n.path("angle_to_bp").fields().forEachRemaining(e -> angles.put(e.getKey(), e.getValue().asDouble(Double.NaN)));
                }
            }
            return new RunSummary(dir, config.path("rule").asText(), config.path("dataset").asText(),
                    config.path("network").asText(), shape(config),
                    result.path("status").asText(Files.exists(resultFile) ? "?" : "running"),
                    fin.has("test_accuracy") ? fin.get("test_accuracy").asDouble() : null,
                    result.has("best_test_accuracy") ? result.get("best_test_accuracy").asDouble() : null,
                    fin.path("epochs").asInt(acc.size()), fin.path("samples_per_second").asDouble(Double.NaN), acc, angles);
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new UserError(dir + " is not a run directory (no config.json)");
        } catch (IOException e) {
            throw new UserError("cannot read run " + dir + ": " + e.getMessage());
        }
    }

    /** What shapes the network beyond its name: the hidden widths of an fc network, the spec of a custom one, else nothing. */
    private static String shape(JsonNode config) {
        String network = config.path("network").asText();
        if (config.hasNonNull("layers")) return config.path("layers").asText();
        var preset = org.creditlab.nn.NetworkSpec.PRESETS.get(network);
        if (preset != null && preset.fullyConnected()) return config.path("hidden").toString();
        return config.path("width").asInt(0) > 0 ? "width " + config.path("width").asInt() : "";
    }
}
