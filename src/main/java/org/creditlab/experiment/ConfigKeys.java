package org.creditlab.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.creditlab.Range;

/**
 * The config keys, read once from {@link RunConfig}'s {@link Key}-annotated fields: name, type, default, allowed
 * values and doc. The resolver converts and checks values with them, {@code credit train} builds its key flags
 * from them, and {@code --help}, {@code credit keys} and the README's key table print them.
 */
public final class ConfigKeys {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    private static final Map<String, KeyInfo> BY_NAME = scan();

    private ConfigKeys() { }

    /** The value kinds a key can have (from its field's Java type). */
    public enum Type {
        STRING("string"), INT("int"), LONG("int"), DOUBLE("number"), BOOLEAN("bool"), INT_LIST("list of int"), MAP("object");

        final String label;

        Type(String label) { this.label = label; }
    }

    /** A value that does not fit its key; {@code expected} completes "must be ...". */
    public static final class BadValue extends RuntimeException {
        private final String expected;

        BadValue(String expected) {
            super(expected, null, false, false);
            this.expected = expected;
        }

        public String expected() { return expected; }
    }

    /** One key's declaration. */
    public static final class KeyInfo {
        private final String name;
        private final Field field;
        private final Key key;
        private final Type type;
        private final Object defaultValue;

        KeyInfo(String name, Field field, Key key, Type type, Object defaultValue) {
            this.name = name;
            this.field = field;
            this.key = key;
            this.type = type;
            this.defaultValue = defaultValue;
        }

        public String name() { return name; }
        public Type type() { return type; }
        public String doc() { return key.doc(); }
        public String flag() { return key.flag(); }
        public String label() { return key.label().isEmpty() ? "VALUE" : key.label(); }
        public Object defaultValue() { return defaultValue; }
        public boolean nullable() { return key.nullable(); }
        /** A boolean key whose flag ("--no-x") takes no value and sets the opposite of the built-in default. */
        public boolean isSwitch() { return type == Type.BOOLEAN && !key.flag().isEmpty(); }

        /** The numeric range of the value (of each element for a list). */
        public Range range() {
            double max = key.max();
            boolean maxOpen = key.maxOpen();
            if (!key.maxFrom().isEmpty()) {
                try {
                    max = ((Number) RunConfig.class.getMethod(key.maxFrom()).invoke(null)).doubleValue();
                    maxOpen = false;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("@Key(maxFrom = \"" + key.maxFrom() + "\") of " + name, e);
                }
            }
            boolean whole = type == Type.INT || type == Type.LONG || type == Type.INT_LIST;
            return new Range(key.min(), key.minOpen(), max, maxOpen, whole);
        }

        /** The allowed strings (empty: any). */
        public List<String> choices() {
            if (key.choicesFrom() != Choices.NONE) return key.choicesFrom().names();
            return List.of(key.choices());
        }

        /** Completes "must be ...": "a whole number >= 1", "one of fc, linfc", "true or false", ... */
        public String expected() {
            return switch (type) {
                case STRING -> choices().isEmpty() ? "a string" : "one of " + String.join(", ", choices());
                case INT, LONG, DOUBLE -> range().describe();
                case BOOLEAN -> "true or false";
                case INT_LIST -> "a comma-separated list of " + plural(range().describe())
                        + (key.allowEmpty() ? " (none for an empty list)" : "");
                case MAP -> "a JSON object";
            };
        }

        /** Range or choices for tables: "[0, 1)", ">= 1", "fc, linfc, fc-ntk". */
        public String allowed() {
            return switch (type) {
                case STRING -> String.join(", ", choices());
                // a run-time bound (threads) is machine-dependent: the doc states it, the table must not
                case INT, LONG, DOUBLE, INT_LIST -> key.maxFrom().isEmpty() ? range().brief()
                        : new Range(key.min(), key.minOpen(), Double.POSITIVE_INFINITY, false, true).brief();
                default -> "";
            };
        }

        public String defaultText() {
            if (defaultValue == null) return "none";
            if (defaultValue instanceof List<?> l) return l.isEmpty() ? "none" : l.stream().map(Object::toString)
                    .reduce((a, b) -> a + "," + b).orElse("");
            if (defaultValue instanceof Map<?, ?> m) return m.isEmpty() ? "{}" : m.toString();
            if (defaultValue instanceof Double d) return fmtDouble(d);
            return defaultValue.toString();
        }

        /**
         * A command-line value (a flag's or --set's text) as JSON, read by this key's type: numbers, true/false,
         * comma lists ("500,500"; a single "64" is a one-element list; "none" or [] the empty list).
         */
        public JsonNode fromText(String text) {
            String t = text.trim();
            switch (type) {
                case STRING:
                    return NODES.textNode(text);
                case INT, LONG, DOUBLE:
                    return number(t);
                case BOOLEAN:
                    if (t.equalsIgnoreCase("true")) return NODES.booleanNode(true);
                    if (t.equalsIgnoreCase("false")) return NODES.booleanNode(false);
                    return NODES.textNode(text);
                case INT_LIST: {
                    if (t.equalsIgnoreCase("none")) return NODES.arrayNode();
                    if (t.startsWith("[")) return json(t);
                    if (t.isEmpty()) throw new BadValue(expected());
                    ArrayNode arr = NODES.arrayNode();
                    for (String part : t.split(",", -1)) {
                        if (part.isBlank()) throw new BadValue(expected());
                        arr.add(number(part.trim()));
                    }
                    return arr;
                }
                case MAP:
                    return json(t);
                default:
                    throw new IllegalStateException(type.name());
            }
        }

        /** Converts a JSON value to this key's Java value, checking type, range and choices. */
        public Object convert(JsonNode node) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                if (key.nullable()) return null;
                throw new BadValue(expected());
            }
            Object value = switch (type) {
                case STRING -> {
                    if (!node.isValueNode()) throw new BadValue(expected());
                    yield node.asText();
                }
                case INT -> Math.toIntExact(whole(node));
                case LONG -> whole(node);
                case DOUBLE -> {
                    if (!node.isNumber()) throw new BadValue(expected());
                    yield node.doubleValue();
                }
                case BOOLEAN -> {
                    if (!node.isBoolean()) throw new BadValue(expected());
                    yield node.booleanValue();
                }
                case INT_LIST -> {
                    List<Integer> list = new ArrayList<>();
                    if (node.isNumber()) {
                        list.add(Math.toIntExact(whole(node)));
                    } else if (node.isTextual() && node.asText().trim().equalsIgnoreCase("none")) {
                        // empty
                    } else if (node.isArray()) {
                        for (JsonNode e : node) list.add(Math.toIntExact(whole(e)));
                    } else {
                        throw new BadValue(expected());
                    }
                    yield list;
                }
                case MAP -> {
                    if (!node.isObject()) throw new BadValue(expected());
                    yield ConfigResolver.JSON.convertValue(node, new TypeReference<LinkedHashMap<String, Object>>() { });
                }
            };
            check(value);
            return value;
        }

        /** Checks a Java value of this key (e.g. one a library user set on a RunConfig). */
        public void check(Object value) {
            if (value == null) {
                if (key.nullable()) return;
                throw new BadValue(expected());
            }
            switch (type) {
                case STRING -> {
                    String s = value.toString();
                    if (key.choicesFrom() != Choices.NONE) {
                        if (!key.choicesFrom().accepts(s)) throw new BadValue(expected());
                    } else if (key.choices().length > 0 && !List.of(key.choices()).contains(s)) {
                        throw new BadValue(expected());
                    }
                }
                case INT, LONG, DOUBLE -> {
                    if (!range().contains(((Number) value).doubleValue())) throw new BadValue(expected());
                }
                case INT_LIST -> {
                    List<?> list = (List<?>) value;
                    if (list.isEmpty() && !key.allowEmpty()) throw new BadValue(expected());
                    for (Object e : list) {
                        if (!(e instanceof Number n) || !range().contains(n.doubleValue())) throw new BadValue(expected());
                    }
                }
                default -> { }
            }
        }

        Object get(RunConfig c) {
            try {
                return field.get(c);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        void set(RunConfig c, Object value) {
            try {
                field.set(c, value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private long whole(JsonNode node) {
            if (!node.isNumber()) throw new BadValue(expected());
            double d = node.doubleValue();
            Range r = range();
            if (!node.isIntegralNumber() && d != Math.rint(d)) throw new BadValue(expected());
            boolean fits = type == Type.LONG ? node.canConvertToLong() : node.canConvertToInt() && Math.abs(d) <= Integer.MAX_VALUE;
            if (!fits) throw new BadValue(expected() + " (at most " + (type == Type.LONG ? Long.MAX_VALUE : Integer.MAX_VALUE) + ")");
            if (!r.contains(d)) throw new BadValue(expected());
            return node.longValue();
        }

        private static JsonNode number(String t) {
            try {
                return NODES.numberNode(Long.parseLong(t));
            } catch (NumberFormatException e) {
                try {
                    return NODES.numberNode(Double.parseDouble(t));
                } catch (NumberFormatException e2) {
                    return NODES.textNode(t);
                }
            }
        }

        private JsonNode json(String t) {
            try {
                return ConfigResolver.JSON.readTree(t);
            } catch (JsonProcessingException e) {
                throw new BadValue(expected());
            }
        }
    }

    /** Every key, in RunConfig's field order. */
    public static List<KeyInfo> all() { return List.copyOf(BY_NAME.values()); }

    /** The key of that name (snake_case; dashes are read as underscores), or null. */
    public static KeyInfo get(String name) {
        return name == null ? null : BY_NAME.get(name.trim().replace('-', '_'));
    }

    public static List<String> names() { return List.copyOf(BY_NAME.keySet()); }

    /** The keys that have a {@code credit train} flag. */
    public static List<KeyInfo> withFlags() {
        return BY_NAME.values().stream().filter(k -> !k.flag().isEmpty()).toList();
    }

    /** The known key closest to a misspelt one (edit distance at most 2), or null. */
    public static String closest(String name) {
        String best = null;
        int bestDistance = 3;
        for (String k : BY_NAME.keySet()) {
            int d = distance(name, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** The README's key table (Markdown), generated from the declarations; a test keeps README.md equal to it. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| key | flag | type | default | allowed | meaning |\n|---|---|---|---|---|---|\n");
        for (KeyInfo k : BY_NAME.values()) {
            sb.append("| `").append(k.name()).append("` | ")
                    .append(k.flag().isEmpty() ? "" : "`" + k.flag() + "`").append(" | ")
                    .append(k.type().label).append(" | `").append(k.defaultText()).append("` | ")
                    .append(k.allowed().replace("|", "\\|")).append(" | ")
                    .append(k.doc().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

    /** The key list of {@code credit train --help} and {@code credit keys}: one entry per key, wrapped to 80 columns. */
    public static String helpText() {
        int col = BY_NAME.keySet().stream().mapToInt(String::length).max().orElse(10) + 4;
        StringBuilder sb = new StringBuilder();
        for (KeyInfo k : BY_NAME.values()) {
            String allowed = k.allowed();
            String text = k.doc() + " [" + k.type().label + ", default " + k.defaultText()
                    + (allowed.isEmpty() ? "" : (k.type() == Type.STRING ? "; one of " : "; ") + allowed) + "]";
            sb.append(wrap("  " + k.name(), col, text, 80));
        }
        return sb.toString();
    }

    /** {@code head} padded to {@code col}, then {@code text} wrapped at {@code width} with a hanging indent. */
    static String wrap(String head, int col, String text, int width) {
        StringBuilder sb = new StringBuilder(String.format("%-" + col + "s", head));
        int lineLength = sb.length();
        if (head.length() >= col) {
            sb.append('\n').append(" ".repeat(col));
            lineLength = col;
        }
        boolean first = true;
        for (String word : text.split(" ")) {
            if (!first && lineLength + 1 + word.length() > width) {
                sb.append('\n').append(" ".repeat(col));
                lineLength = col;
                first = true;
            }
            if (!first) {
                sb.append(' ');
                lineLength++;
            }
            sb.append(word);
            lineLength += word.length();
            first = false;
        }
        return sb.append('\n').toString();
    }

    private static Map<String, KeyInfo> scan() {
        RunConfig defaults = new RunConfig();
        Map<String, KeyInfo> out = new LinkedHashMap<>();
        for (Field f : RunConfig.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            Key key = f.getAnnotation(Key.class);
            if (key == null) throw new IllegalStateException("RunConfig." + f.getName() + " has no @Key: every config key is declared");
            String name = SNAKE.translate(f.getName());
            try {
                out.put(name, new KeyInfo(name, f, key, typeOf(f), f.get(defaults)));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Type typeOf(Field f) {
        Class<?> c = f.getType();
        if (c == String.class) return Type.STRING;
        if (c == int.class || c == Integer.class) return Type.INT;
        if (c == long.class || c == Long.class) return Type.LONG;
        if (c == double.class || c == Double.class) return Type.DOUBLE;
        if (c == boolean.class || c == Boolean.class) return Type.BOOLEAN;
        if (c == Map.class) return Type.MAP;
        if (c == List.class && f.getGenericType() instanceof ParameterizedType p
                && Objects.equals(p.getActualTypeArguments()[0], Integer.class)) {
            return Type.INT_LIST;
        }
        throw new IllegalStateException("RunConfig." + f.getName() + ": unsupported config key type " + f.getGenericType());
    }

    private static String plural(String description) {
        return description.replaceFirst("^a (positive )?whole number", "$1whole numbers").replaceFirst("^a number", "numbers");
    }

    /** 25, 0.1, 1e-8, 1e6: the shortest exact form. */
    static String fmtDouble(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e5) return Range.fmt(d);
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toString().toLowerCase().replace("e+", "e");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
