package dev.twoliter.engine.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * Checks settings (the merged defaults, or a fleet's user data over them) against the extensions'
 * models: every key under {@code settings} belongs to an extension, and each extension's table
 * fits its model (types, ranges, patterns, required keys, no unknown keys). Every violation is
 * reported, each with its key, what the model expects and where the value was set.
 */
public final class SettingsValidation {
    /** More violations than this are counted, not listed. */
    static final int MAX_LISTED = 25;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * One violation.
     *
     * @param key the setting's dotted key ({@code settings.motd.text})
     * @param problem what is wrong and what the model expects
     * @param origin where the value was set ({@code file:line}), or empty when the key is missing
     */
    public record Violation(String key, String problem, String origin) {
        @Override
        public String toString() {
            return key + (origin.isEmpty() ? "" : " (" + origin + ")") + ": " + problem;
        }
    }

    private SettingsValidation() {}

    /**
     * @param settings every setting by dotted key ({@code settings.motd.text}), values as tomlj gives
     *     them; keys outside {@code settings} (services, configuration files) are not checked here
     * @param origins where each key was set, for messages
     * @param models the extensions' models, by extension name
     */
    public static List<Violation> violations(Map<String, Object> settings, Map<String, String> origins,
            Map<String, SettingsModel> models) {
        Map<String, JsonNode> byExtension = new TreeMap<>();
        List<Violation> violations = new ArrayList<>();
        for (Map.Entry<String, Object> entry : new TreeMap<>(settings).entrySet()) {
            List<String> path = Toml.parseDottedKey(entry.getKey());
            if (path.size() < 2 || !path.get(0).equals("settings")) {
                continue;
            }
            String extension = path.get(1);
            if (!models.containsKey(extension)) {
                violations.add(new Violation(entry.getKey(), "no extension defines settings." + extension
                        + " (extensions: " + String.join(", ", new TreeMap<>(models).keySet()) + ")",
                        origins.getOrDefault(entry.getKey(), "")));
                continue;
            }
            if (path.size() == 2) {
                // An extension whose model is a single value, as Bottlerocket's settings.motd is.
                byExtension.put(extension, json(entry.getValue()));
                continue;
            }
            if (!(byExtension.computeIfAbsent(extension, e -> NODES.objectNode()) instanceof ObjectNode table)) {
                continue; // a value and a table at once: the merge and the user data refuse it first
            }
            put(table, path.subList(2, path.size()), json(entry.getValue()));
        }
        for (Map.Entry<String, SettingsModel> model : new TreeMap<>(models).entrySet()) {
            JsonNode value = byExtension.get(model.getKey());
            if (value == null && !model.getValue().describesATable()) {
                continue; // an unset single value: a template that prints it fails, naming it
            }
            for (ValidationMessage message : model.getValue().schema().validate(
                    value == null ? NODES.objectNode() : value)) {
                String key = key(model.getKey(), message);
                violations.add(new Violation(key, problem(message) + " (" + model.getValue().describe() + ")",
                        origin(key, origins)));
            }
        }
        violations.sort(Comparator.comparing(Violation::key).thenComparing(Violation::problem));
        return violations;
    }

    /** Fails naming every violation (the first {@value #MAX_LISTED}), if there are any. */
    public static void check(Map<String, Object> settings, Map<String, String> origins,
            Map<String, SettingsModel> models, String what) throws SettingsException {
        List<Violation> violations = violations(settings, origins, models);
        if (violations.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder(what + " do not fit the settings models (" + violations.size()
                + (violations.size() == 1 ? " problem" : " problems") + "):");
        violations.stream().limit(MAX_LISTED).forEach(v -> message.append("\n  ").append(v));
        if (violations.size() > MAX_LISTED) {
            message.append("\n  … and ").append(violations.size() - MAX_LISTED).append(" more");
        }
        throw new SettingsException(message.toString());
    }

    private static void put(ObjectNode table, List<String> path, JsonNode value) {
        ObjectNode parent = table;
        for (String name : path.subList(0, path.size() - 1)) {
            if (!(parent.get(name) instanceof ObjectNode)) {
                parent.set(name, NODES.objectNode());
            }
            parent = (ObjectNode) parent.get(name);
        }
        parent.set(path.get(path.size() - 1), value);
    }

    /** A tomlj value as JSON: tables as objects, arrays as arrays, dates and times as their TOML text. */
    static JsonNode json(Object value) {
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof TomlArray array) {
            ArrayNode node = NODES.arrayNode();
            for (int i = 0; i < array.size(); i++) {
                node.add(json(array.get(i)));
            }
            return node;
        }
        if (value instanceof TomlTable table) {
            ObjectNode node = NODES.objectNode();
            for (String key : new TreeMap<>(table.toMap()).keySet()) {
                node.set(key, json(table.get(List.of(key))));
            }
            return node;
        }
        return NODES.textNode(String.valueOf(value));
    }

    /** The dotted key a message is about: its instance location, and the property it names if any. */
    private static String key(String extension, ValidationMessage message) {
        StringBuilder key = new StringBuilder("settings.").append(Toml.joinKeyPath(List.of(extension)));
        JsonNodePath location = message.getInstanceLocation();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                key.append('[').append(index).append(']');
            } else {
                key.append('.').append(Toml.joinKeyPath(List.of(String.valueOf(element))));
            }
        }
        if (message.getProperty() != null && List.of("required", "additionalProperties", "unevaluatedProperties",
                "dependentRequired").contains(message.getType())) {
            key.append('.').append(Toml.joinKeyPath(List.of(message.getProperty())));
        }
        return key.toString();
    }

    /** The validator's message without its leading location, with the words users know. */
    private static String problem(ValidationMessage message) {
        String text = message.getMessage();
        int colon = text.indexOf(": ");
        if (text.startsWith("$") && colon > 0) {
            text = text.substring(colon + 2);
        }
        return switch (message.getType()) {
            case "required" -> "missing; the model requires it";
            case "additionalProperties", "unevaluatedProperties" -> "unknown key: the model does not define it";
            default -> text;
        };
    }

    /** Where the key, or the nearest enclosing key that was set, was set. */
    private static String origin(String key, Map<String, String> origins) {
        String candidate = key.replaceAll("\\[\\d+]", "");
        while (!candidate.isEmpty()) {
            if (origins.containsKey(candidate)) {
                return origins.get(candidate);
            }
            int dot = candidate.lastIndexOf('.');
            candidate = dot < 0 ? "" : candidate.substring(0, dot);
        }
        return "";
    }
}
