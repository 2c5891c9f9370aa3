package org.creditlab.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.creditlab.UserError;
import org.creditlab.rules.RuleRegistry;

/**
 * What {@code --resume} may change, and the record it leaves. A checkpoint continues one run: only keys that
 * leave the trained network's history true may differ from the run's config.json.
 * <ul>
 *   <li>{@code epochs}: train longer (or stop earlier than planned);</li>
 *   <li>{@code threads}: a machine with other cores. Training continues correctly, but arithmetic at another
 *       thread count is not bit-identical, so the run no longer equals an uninterrupted one bit for bit;
 *       the resume event records the change;</li>
 *   <li>{@code data_dir}, {@code download}: where the same dataset is found. The files read must be the
 *       ones the run was trained on (same variant and SHA-256 as in result.json).</li>
 * </ul>
 * Anything else (rule, its options, dataset, network, loss, optimizer, lr, batch size, seed, ...) would make
 * the directory claim a history it does not have: that is a user error naming the key.
 */
public final class Resume {
    public static final List<String> CHANGEABLE = List.of("epochs", "threads", "data_dir", "download");

    private Resume() { }

    /**
     * @param config         the run's config with the requested changes applied
     * @param changes        key -> {"from": old, "to": new} for every changed key
     * @param previousResult the run's result.json before this resume, or null if it had none yet
     */
    public record Plan(RunConfig config, Map<String, Object> changes, JsonNode previousResult) {
        public String previousStatus() {
            return previousResult == null ? null : previousResult.path("status").asText(null);
        }
    }

    /**
     * Resolves the config to continue {@code dir} with and checks what changed.
     *
     * @param overrides     the command line's values (flags and --set), as for a new run
     * @param allowDiverged whether a diverged run may be continued (--resume-diverged)
     * @throws UserError naming the first key that may not change, or when the run diverged
     */
    public static Plan plan(Path dir, ConfigResolver.Overrides overrides, boolean allowDiverged) {
        Path configFile = dir.resolve("config.json");
        RunConfig original = ConfigResolver.resolve(configFile, new ConfigResolver.Overrides());
        RunConfig requested = ConfigResolver.resolve(configFile, overrides);
        Map<String, Object> changes = changes(original, requested);
        for (var e : changes.entrySet()) {
            if (!CHANGEABLE.contains(e.getKey())) {
                @SuppressWarnings("unchecked") Map<String, Object> c = (Map<String, Object>) e.getValue();
                throw new UserError("--resume cannot change '" + e.getKey() + "' (the run has " + c.get("from")
                        + ", asked for " + c.get("to") + "): its checkpoint was trained with " + c.get("from")
                        + "; only " + String.join(", ", CHANGEABLE) + " may change on resume (start a new run with --out instead)");
            }
        }
        JsonNode previous = RunDirectory.readResult(dir);
        Plan plan = new Plan(requested, changes, previous);
        if (RunResult.DIVERGED.equals(plan.previousStatus()) && !allowDiverged) {
            String why = previous.path("message").asText("");
            throw new UserError("run " + dir + " diverged" + (why.isEmpty() ? "" : " (" + why + ")")
                    + "; it is not resumed unless you pass --resume-diverged");
        }
        return plan;
    }

    /** Every key whose value differs, in config order; rule options as {@code rule_options.NAME}. */
    static Map<String, Object> changes(RunConfig original, RunConfig requested) {
        ObjectNode a = ConfigResolver.JSON.valueToTree(original);
        ObjectNode b = ConfigResolver.JSON.valueToTree(requested);
        Map<String, Object> out = new LinkedHashMap<>();
        TreeSet<String> seen = new TreeSet<>();
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) seen.add(it.next());
        b.fieldNames().forEachRemaining(seen::add);
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.equals("out")) continue; // the directory itself, however it is spelled
            if (key.equals("rule_options")) {
                diffOptions(a.path(key), b.path(key), out);
                continue;
            }
            JsonNode x = a.get(key), y = b.get(key);
            if (key.equals("rule") && x != null && y != null
                    && RuleRegistry.get(x.asText()).name().equals(RuleRegistry.get(y.asText()).name())) {
                continue; // an alias of the same rule
            }
            if (!java.util.Objects.equals(x, y)) out.put(key, change(x, y));
        }
        for (String key : seen) {
            if (!a.has(key) && !key.equals("out")) out.put(key, change(null, b.get(key)));
        }
        return out;
    }

    private static void diffOptions(JsonNode a, JsonNode b, Map<String, Object> out) {
        TreeSet<String> names = new TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode x = a.get(name), y = b.get(name);
            if (!java.util.Objects.equals(x, y)) out.put("rule_options." + name, change(x, y));
        }
    }

    private static Map<String, Object> change(JsonNode from, JsonNode to) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("from", from == null ? null : ConfigResolver.JSON.convertValue(from, Object.class));
        c.put("to", to == null ? null : ConfigResolver.JSON.convertValue(to, Object.class));
        return c;
    }

    /**
     * Refuses data other than the files the run was trained on (e.g. the bundled MNIST sample then, full
     * MNIST now), as recorded in the previous result.json.
     */
    public static void checkSameData(Plan plan, TrainingData data) {
        if (plan.previousResult() == null) return;
        JsonNode ds = plan.previousResult().path("provenance").path("dataset");
        if (ds.isMissingNode()) return;
        String variant = ds.path("variant").asText(null);
        if (variant != null && !variant.equals(data.variant())) {
            throw new UserError("--resume found " + data.dataset() + " (" + data.variant() + ") but the run was trained on the "
                    + variant + " variant; point --data-dir at the files it used");
        }
        JsonNode sha = ds.path("sha256");
        if (sha.isObject() && !sha.equals(ConfigResolver.JSON.valueToTree(data.sha256()))) {
            throw new UserError("--resume found " + data.dataset() + " files whose SHA-256 differ from those the run was trained on"
                    + " (see provenance.dataset in result.json); point --data-dir at the files it used");
        }
    }

    /** The entry for result.json's {@code resumes} list. */
    public static Map<String, Object> event(Plan plan, Checkpoint.Position from) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        e.put("from_epoch", from.epochsDone());
        e.put("from_step", from.step());
        if (from.batchesIntoEpoch() > 0) e.put("batches_into_epoch", from.batchesIntoEpoch());
        e.put("previous_status", plan.previousStatus());
        e.put("changed", plan.changes());
        return e;
    }
}
