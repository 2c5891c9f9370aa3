package org.creditlab.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.creditlab.UserError;
import org.creditlab.rules.RuleRegistry;

/**
 * Builds a {@link RunConfig} from layers, later ones winning: built-in defaults, the chosen rule's
 * defaults, a JSON config file, then command-line overrides. Unknown keys are errors, not silently
 * ignored; a {@code --set} key that is not a config field is taken as a rule option.
 */
public final class ConfigResolver {
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private static final Set<String> FIELDS = fieldNames();

    private ConfigResolver() { }

    /**
     * @param configFile JSON config, or null
     * @param overrides  command-line values as a JSON object (flags already converted to config keys)
     */
    public static RunConfig resolve(Path configFile, ObjectNode overrides) {
        ObjectNode user = JsonNodeFactory.instance.objectNode();
        if (configFile != null) {
            ObjectNode file = readFile(configFile);
            // A file's rule_options belong to the file's rule: re-running it with another --rule drops them.
            if (file.has("rule") && overrides.has("rule")
                    && !RuleRegistry.get(file.get("rule").asText()).name().equals(RuleRegistry.get(overrides.get("rule").asText()).name())) {
                file.remove("rule_options");
            }
            merge(user, file);
        }
        merge(user, overrides);
        String rule = user.has("rule") ? user.get("rule").asText() : new RunConfig().rule;
        ObjectNode merged = JSON.valueToTree(new RunConfig());
        merged.set("rule_options", JsonNodeFactory.instance.objectNode());
        Map<String, Object> ruleDefaults = RuleRegistry.get(rule).configDefaults();
        merge(merged, JSON.valueToTree(ruleDefaults));
        merge(merged, user);
        if (user.hasNonNull("layers")) {
            // The spec is the whole network: a named network beside it would contradict it.
            if (user.hasNonNull("network") && !user.get("network").asText().equals(org.creditlab.nn.NetworkSpec.CUSTOM)) {
                throw new UserError("network '" + user.get("network").asText() + "' conflicts with layers (the layers spec"
                        + " defines the whole network): drop the network or set it to custom");
            }
            merged.put("network", org.creditlab.nn.NetworkSpec.CUSTOM);
        }
        RunConfig cfg = fromTree(merged, configFile == null ? "the command line" : configFile.toString());
        validate(cfg);
        return cfg;
    }

    /** Turns "key=value" into an override: JSON values where they parse, comma lists as arrays, else strings. */
    public static void applySet(ObjectNode overrides, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) throw new UserError("--set expects key=value, got '" + assignment + "'");
        String key = assignment.substring(0, eq).trim().replace('-', '_');
        JsonNode value = parseValue(assignment.substring(eq + 1).trim());
        if (key.startsWith("rule_options.")) {
            ruleOptions(overrides).set(key.substring("rule_options.".length()), value);
        } else if (FIELDS.contains(key)) {
            overrides.set(key, value);
        } else {
            ruleOptions(overrides).set(key, value);
        }
    }

    static JsonNode parseValue(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            if (text.contains(",")) {
                ArrayNode arr = JsonNodeFactory.instance.arrayNode();
                for (String part : text.split(",")) arr.add(parseValue(part.trim()));
                return arr;
            }
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    private static ObjectNode ruleOptions(ObjectNode overrides) {
        JsonNode existing = overrides.get("rule_options");
        if (existing instanceof ObjectNode o) return o;
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        overrides.set("rule_options", o);
        return o;
    }

    private static ObjectNode readFile(Path file) {
        try {
            JsonNode node = JSON.readTree(Files.readString(file));
            if (!(node instanceof ObjectNode o)) throw new UserError("config file " + file + " must hold a JSON object");
            return o;
        } catch (NoSuchFileException e) {
            throw new UserError("config file not found: " + file);
        } catch (JsonProcessingException e) {
            throw new UserError("config file " + file + " is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new UserError("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    private static RunConfig fromTree(ObjectNode tree, String origin) {
        try {
            return JSON.treeToValue(tree, RunConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new UserError("unknown config key '" + e.getPropertyName() + "' in " + origin
                    + " (see 'credit train --help' for the keys)");
        } catch (JsonProcessingException e) {
            String field = e.getMessage().contains("through reference chain")
                    ? e.getMessage().replaceAll("(?s).*\\[\"([a-z_]+)\"\\].*", "$1") : "?";
            throw new UserError("bad value for config key '" + field + "' in " + origin + ": " + e.getOriginalMessage());
        }
    }

    /** Deep merge: objects merge key by key, anything else replaces. */
    static void merge(ObjectNode target, JsonNode source) {
        if (source == null) return;
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode) {
                merge(eo, e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /** Range checks with one clear line each. */
    public static void validate(RunConfig c) {
        RuleRegistry.get(c.rule);
        positive("epochs", c.epochs);
        positive("batch_size", c.batchSize);
        positive("eval_batch_size", c.evalBatchSize);
        positive("threads", c.threads);
        if (!(c.lr > 0) || Double.isInfinite(c.lr)) throw new UserError("lr must be a positive number, got " + c.lr);
        if (c.validation < 0) throw new UserError("validation must be >= 0, got " + c.validation);
        if (c.trainSubset < 0) throw new UserError("train_subset must be >= 0, got " + c.trainSubset);
        if (c.hidden == null) throw new UserError("hidden must be a list of widths, e.g. 500,500");
        for (Integer h : c.hidden) if (h == null || h <= 0) throw new UserError("hidden widths must be positive integers, got " + c.hidden);
        if (!List.of("float32", "float64").contains(c.dtype)) throw new UserError("dtype must be float32 or float64, got " + c.dtype);
        if (!List.of("random", "first").contains(c.validationFrom)) throw new UserError("validation_from must be random or first, got " + c.validationFrom);
        if (c.diagnosticsEvery < 0) throw new UserError("diagnostics_every must be >= 0");
        if (c.width < 0) throw new UserError("width must be >= 0 (0 = the network's own), got " + c.width);
        if (c.layers == null) org.creditlab.nn.NetworkSpec.preset(c.network);
        else if (!c.network.equals(org.creditlab.nn.NetworkSpec.CUSTOM)) {
            throw new UserError("network '" + c.network + "' conflicts with layers: set network to custom or drop layers");
        }
    }

    private static void positive(String key, long v) {
        if (v <= 0) throw new UserError(key + " must be a positive integer, got " + v);
    }

    private static Set<String> fieldNames() {
        Set<String> names = new TreeSet<>();
        JSON.valueToTree(new RunConfig()).fieldNames().forEachRemaining(names::add);
        return names;
    }

    public static Set<String> configKeys() { return FIELDS; }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
