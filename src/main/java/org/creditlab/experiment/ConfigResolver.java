package org.creditlab.experiment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.creditlab.UserError;
import org.creditlab.rules.RuleInfo;
import org.creditlab.rules.RuleOptions;
import org.creditlab.rules.RuleRegistry;

/**
 * Builds a {@link RunConfig} from layers, later ones winning: built-in defaults, the chosen rule's
 * defaults, a JSON config file, then command-line overrides. Every value is converted and checked by its
 * key's declaration ({@link ConfigKeys}); an error names where the value came from (the flag, the --set, the
 * file), the key, the bad value and what is expected. Unknown keys are errors, not silently ignored; a
 * {@code --set} key that is not a config key is taken as a rule option, checked against the rule's declared
 * options.
 */
public final class ConfigResolver {
    public static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private static final String COMMAND_LINE = "the command line";

    private ConfigResolver() { }

    /**
     * Command-line values with where each came from ("--epochs", "--set momentum=5"), so an error blames the
     * flag that set it, not a config file given alongside.
     */
    public static final class Overrides {
        private final ObjectNode values = JsonNodeFactory.instance.objectNode();
        private final Map<String, String> origins = new HashMap<>();

        /** A key's flag with its text, e.g. ("hidden", "--hidden", "500,500"). */
        public Overrides flag(String key, String flag, String text) {
            ConfigKeys.KeyInfo k = ConfigKeys.get(key);
            try {
                put(key, k.fromText(text), flag);
            } catch (ConfigKeys.BadValue e) {
                throw new UserError(flag + ": '" + key + "' must be " + e.expected() + ", got '" + text + "'");
            }
            return this;
        }

        /** A value already in JSON form. */
        public Overrides put(String key, JsonNode value, String origin) {
            values.set(key, value);
            origins.put(key, origin);
            return this;
        }

        /** {@code --set key=value}. */
        public Overrides set(String assignment) {
            String key = applySet(values, assignment);
            if (key != null) origins.put(key, "--set " + assignment.trim());
            return this;
        }

        public ObjectNode values() { return values; }
        public boolean has(String key) { return values.has(key); }
    }

    /**
     * @param configFile JSON config, or null
     * @param overrides  command-line values as a JSON object (flags already converted to config keys)
     */
    public static RunConfig resolve(Path configFile, ObjectNode overrides) {
        Overrides o = new Overrides();
        overrides.fields().forEachRemaining(e -> o.put(e.getKey(), e.getValue(), COMMAND_LINE));
        return resolve(configFile, o);
    }

    public static RunConfig resolve(Path configFile, Overrides overrides) {
        ObjectNode user = JsonNodeFactory.instance.objectNode();
        Map<String, String> origin = new HashMap<>();
        ObjectNode cli = overrides.values.deepCopy();
        if (configFile != null) {
            ObjectNode file = readFile(configFile);
            // A file's rule_options belong to the file's rule: re-running it with another --rule drops them.
            if (file.has("rule") && cli.has("rule")
                    && !RuleRegistry.get(file.get("rule").asText()).name().equals(RuleRegistry.get(cli.get("rule").asText()).name())) {
                file.remove("rule_options");
            }
            merge(user, file, origin, "config file " + configFile);
        }
        merge(user, cli, origin, null);
        overrides.origins.forEach(origin::put);
        for (Iterator<String> it = cli.fieldNames(); it.hasNext(); ) origin.putIfAbsent(it.next(), COMMAND_LINE);

        String rule = user.has("rule") ? user.get("rule").asText() : new RunConfig().rule;
        RuleInfo info = RuleRegistry.get(rule);
        ObjectNode merged = JSON.valueToTree(new RunConfig());
        merged.set("rule_options", JsonNodeFactory.instance.objectNode());
        Map<String, String> base = new HashMap<>();
        merge(merged, JSON.valueToTree(info.configDefaults()), base, "rule " + info.name() + "'s defaults");
        if (!info.convDefaults().isEmpty() && convolutional(user, merged)) {
            merge(merged, JSON.valueToTree(info.convDefaults()), base, "rule " + info.name() + "'s defaults on conv networks");
        }
        merge(merged, user, base, null);
        base.putAll(origin);
        if (user.hasNonNull("layers")) {
            // The spec is the whole network: a named network beside it would contradict it.
            if (user.hasNonNull("network") && !user.get("network").asText().equals(org.creditlab.nn.NetworkSpec.CUSTOM)) {
                throw new UserError("network '" + user.get("network").asText() + "' conflicts with layers (the layers spec"
                        + " defines the whole network): drop the network or set it to custom");
            }
            merged.put("network", org.creditlab.nn.NetworkSpec.CUSTOM);
        }
        RunConfig cfg = fromTree(merged, base);
        validate(cfg);
        return cfg;
    }

    /**
     * Turns "key=value" into an override: a config key's value is read by its type (numbers, booleans, comma
     * lists, a single value for a list key); anything else is a rule option (JSON values where they parse, comma
     * lists as arrays, else strings).
     *
     * @return the config key set, or null for a rule option
     */
    public static String applySet(ObjectNode overrides, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) throw new UserError("--set expects KEY=VALUE, got '" + assignment + "'");
        String key = assignment.substring(0, eq).trim().replace('-', '_');
        String text = assignment.substring(eq + 1).trim();
        if (key.startsWith("rule_options.")) {
            ruleOptions(overrides).set(key.substring("rule_options.".length()), parseValue(text));
            return null;
        }
        ConfigKeys.KeyInfo k = ConfigKeys.get(key);
        if (k == null) {
            ruleOptions(overrides).set(key, parseValue(text));
            return null;
        }
        try {
            overrides.set(key, k.fromText(text));
        } catch (ConfigKeys.BadValue e) {
            throw new UserError("--set " + assignment.trim() + ": '" + key + "' must be " + e.expected() + ", got '" + text + "'");
        }
        return key;
    }

    static JsonNode parseValue(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n != null && !n.isMissingNode()) return n;
        } catch (JsonProcessingException e) {
            // not JSON: a list or a plain string
        }
        if (text.contains(",")) {
            ArrayNode arr = JsonNodeFactory.instance.arrayNode();
            for (String part : text.split(",")) arr.add(parseValue(part.trim()));
            return arr;
        }
        return JsonNodeFactory.instance.textNode(text);
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
            String msg = e.getOriginalMessage();
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            if (msg != null && msg.startsWith("Duplicate field ")) {
                throw new UserError("config file " + file + ": key " + msg.substring("Duplicate field ".length())
                        + " appears twice (line " + line + "); each key may be given once");
            }
            throw new UserError("config file " + file + " is not valid JSON (line " + line + "): "
                    + (msg == null ? "parse error" : msg.replaceAll("\\s+", " ")));
        } catch (IOException e) {
            throw new UserError("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    private static RunConfig fromTree(ObjectNode tree, Map<String, String> origin) {
        RunConfig cfg = new RunConfig();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = origin.getOrDefault(e.getKey(), "built-in defaults");
            ConfigKeys.KeyInfo k = ConfigKeys.get(e.getKey());
            if (k == null || !k.name().equals(e.getKey())) {
                String near = ConfigKeys.closest(e.getKey());
                throw new UserError(where + ": unknown config key '" + e.getKey() + "'"
                        + (near == null ? "" : " (did you mean '" + near + "'?)") + "; see 'credit train --help' for the keys");
            }
            try {
                k.set(cfg, k.convert(e.getValue()));
            } catch (ConfigKeys.BadValue b) {
                throw new UserError(where + ": '" + k.name() + "' must be " + b.expected() + ", got " + show(e.getValue()));
            }
        }
        return cfg;
    }

    private static String show(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        if (n.isTextual()) return "'" + n.asText() + "'";
        return n.isNumber() ? n.asText() : n.toString();   // NaN, not "NaN"
    }

    /** Deep merge: objects merge key by key, anything else replaces; records each top-level key's origin. */
    static void merge(ObjectNode target, JsonNode source, Map<String, String> origin, String from) {
        if (source == null) return;
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode) {
                merge(eo, e.getValue(), new HashMap<>(), from);
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
            if (from != null) origin.put(e.getKey(), from);
        }
    }

    /** Checks every key of a config (also one a library user filled in) and the rule's options. */
    public static void validate(RunConfig c) {
        RuleInfo info = RuleRegistry.get(c.rule);
        for (ConfigKeys.KeyInfo k : ConfigKeys.all()) {
            Object v = k.get(c);
            try {
                k.check(v);
            } catch (ConfigKeys.BadValue b) {
                throw new UserError("config key '" + k.name() + "' must be " + b.expected() + ", got " + v);
            }
        }
        if (c.layers != null && !c.network.equals(org.creditlab.nn.NetworkSpec.CUSTOM)) {
            throw new UserError("network '" + c.network + "' conflicts with layers: set network to custom or drop layers");
        }
        if (c.layers == null && org.creditlab.nn.NetworkSpec.CUSTOM.equals(c.network)) {
            throw new UserError("network custom needs a layers spec (--layers)");
        }
        new RuleOptions(info.name(), c.ruleOptions);
    }

    /**
     * Whether the network the user chose (a layers spec, else a named network, else the defaults') has
     * convolutions. Read before the full config is built, since a rule's defaults depend on it.
     */
    static boolean convolutional(ObjectNode user, ObjectNode withDefaults) {
        if (user.hasNonNull("layers")) return org.creditlab.nn.LayerSpec.hasConvolution(user.get("layers").asText());
        ObjectNode from = user.hasNonNull("network") ? user : withDefaults;
        String network = from.hasNonNull("network") ? from.get("network").asText() : new RunConfig().network;
        org.creditlab.nn.NetworkSpec.Preset p = org.creditlab.nn.NetworkSpec.PRESETS.get(network);
        return p != null && p.convolutional();
    }

    /**
     * Warnings about a valid but doubtful config: a rule run on another network than the one its defaults
     * choose (the Align rules need an NTK network's scaling and batch norm; on fc they diverge within a few steps).
     */
    public static List<String> advice(RunConfig c) {
        List<String> out = new ArrayList<>();
        RuleInfo info = RuleRegistry.get(c.rule);
        Object wanted = info.configDefaults().get("network");
        // an NTK-parameterised network of another shape (conv-ntk, a spec starting with ntk:) serves as well
        boolean bothNtk = wanted != null && wanted.toString().endsWith("-ntk") && (c.network.endsWith("-ntk")
                || (c.layers != null && c.layers.trim().toLowerCase(java.util.Locale.ROOT).startsWith("ntk:")));
        if (wanted != null && !wanted.equals(c.network) && !bothNtk) {
            out.add(info.name() + " is meant for --network " + wanted + " (its default); with " + c.network
                    + " and its other defaults it is likely to diverge");
        }
        return out;
    }

    public static Set<String> configKeys() { return new LinkedHashSet<>(ConfigKeys.names()); }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
