package org.creditlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.UserError;
import org.creditlab.experiment.AtomicFiles;
import org.creditlab.experiment.ConfigResolver;

/**
 * manifest.json of a sweep directory: the sweep's name, its cells (index, name, hash, values; cells retired by
 * an {@code --extend} stay listed so that indices never move), how often a failing cell is tried, and a line per
 * revision of the sweep file. Written last when a sweep directory is created, so its presence means the cells'
 * config files are all there.
 */
public record Manifest(String name, List<Cell> cells, int maxAttempts, List<Map<String, Object>> revisions) {
    public static final String FILE = "manifest.json";

    public List<Cell> active() { return cells.stream().filter(c -> !c.retired()).toList(); }

    public static Manifest read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) throw new UserError(dir + " is not a sweep directory (it has no " + FILE + ")");
        try {
            JsonNode n = ConfigResolver.JSON.readTree(Files.readString(f));
            List<Cell> cells = new ArrayList<>();
            for (JsonNode c : n.path("cells")) {
                Map<String, JsonNode> values = new LinkedHashMap<>();
                c.path("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
                cells.add(new Cell(c.path("index").asInt(), c.path("name").asText(), values, null, c.path("hash").asText(),
                        c.path("retired").asBoolean(false)));
            }
            List<Map<String, Object>> revisions = ConfigResolver.JSON.convertValue(n.path("revisions"),
                    new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() { });
            return new Manifest(n.path("name").asText(), cells, n.path("max_attempts").asInt(3),
                    revisions == null ? new ArrayList<>() : revisions);
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserError u) throw u;
            throw new UserError("cannot read " + f + ": " + e.getMessage());
        }
    }

    public void write(Path dir) {
        ObjectNode n = ConfigResolver.JSON.createObjectNode();
        n.put("name", name);
        n.put("max_attempts", maxAttempts);
        ArrayNode arr = n.putArray("cells");
        for (Cell c : cells) {
            ObjectNode o = arr.addObject();
            o.put("index", c.index());
            o.put("name", c.name());
            o.put("hash", c.hash());
            ObjectNode v = o.putObject("values");
            c.values().forEach(v::set);
            if (c.retired()) o.put("retired", true);
        }
        n.set("revisions", ConfigResolver.JSON.valueToTree(revisions));
        AtomicFiles.writeString(dir.resolve(FILE), ConfigResolver.toJson(n) + "\n");
    }
}
