package dev.twoliter.engine.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.twoliter.engine.Syntax;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * The model of one settings extension's settings ({@code settings.<extension>}): a JSON Schema
 * (draft 2020-12). Objects are closed unless the model says otherwise: an object schema without
 * {@code additionalProperties}, {@code patternProperties} or {@code unevaluatedProperties} refuses
 * keys it does not list, so a misspelt key is an error rather than a setting nothing reads. A model
 * refers only within itself: a {@code $ref} to another document (which a validator would fetch) is
 * refused.
 *
 * @param extension the extension's name
 * @param version the extension's version ({@code v1} …)
 * @param source where the model comes from, for messages (package and path)
 */
public record SettingsModel(String extension, String version, String source, JsonSchema schema) {
    static final int MAX_MODEL_BYTES = 1 << 20;
    private static final int MAX_DEPTH = 64;
    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OPENS_AN_OBJECT = List.of("additionalProperties", "patternProperties",
            "unevaluatedProperties");

    /** Reads and compiles a model, refusing what is not a closed, self-contained draft 2020-12 schema. */
    public static SettingsModel load(String extension, String version, String source, byte[] json)
            throws SettingsException {
        SettingsNames.checkExtension(extension, source);
        SettingsNames.checkVersion(version, source);
        if (json.length > MAX_MODEL_BYTES) {
            throw new SettingsException(source + ": the model of extension " + extension + " is larger than "
                    + MAX_MODEL_BYTES + " bytes.");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (IOException e) {
            throw new SettingsException(source + ": the model of extension " + extension + " is not JSON: "
                    + Syntax.show(firstLine(e.getMessage())));
        }
        if (!(tree instanceof ObjectNode root)) {
            throw new SettingsException(source + ": the model of extension " + extension + " is not a JSON Schema"
                    + " object.");
        }
        JsonNode declared = root.get("$schema");
        if (declared != null && !DRAFT_2020_12.equals(declared.asText())) {
            throw new SettingsException(source + ": the model declares $schema " + Syntax.show(declared.asText())
                    + "; models are JSON Schema draft 2020-12 (" + DRAFT_2020_12 + ").");
        }
        closeObjects(root, source, 0);
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        // The meta-schema comes from the validator's own resources, never from the network.
        java.util.Set<com.networknt.schema.ValidationMessage> problems = metaSchema(factory).validate(root);
        if (!problems.isEmpty()) {
            throw new SettingsException(source + ": the model of extension " + extension + " is not a valid JSON"
                    + " Schema: " + problems.stream().map(com.networknt.schema.ValidationMessage::getMessage).sorted()
                            .limit(5).collect(java.util.stream.Collectors.joining("; ")));
        }
        JsonSchema schema;
        try {
            schema = factory.getSchema(root);
            schema.initializeValidators();
        } catch (RuntimeException e) {
            throw new SettingsException(source + ": the model of extension " + extension + " is not a valid JSON"
                    + " Schema: " + Syntax.show(firstLine(String.valueOf(e.getMessage()))));
        }
        return new SettingsModel(extension, version, source, schema);
    }

    private static JsonSchema metaSchema(JsonSchemaFactory factory) {
        return factory.getSchema(com.networknt.schema.SchemaLocation.of(DRAFT_2020_12));
    }

    /** Whether the extension's settings are a table (the model's root is an object schema). */
    public boolean describesATable() {
        JsonNode root = schema.getSchemaNode();
        return "object".equals(root.path("type").asText()) || root.has("properties");
    }

    /**
     * Why the model does not define the setting at {@code path} (the names below the extension's
     * table), or empty if it does or cannot tell: a part of the model that opens an object or
     * combines schemas ($ref, allOf, anyOf, oneOf, if) is taken on trust.
     */
    public java.util.Optional<String> undefined(List<String> path) {
        JsonNode node = schema.getSchemaNode();
        for (int i = 0; i < path.size(); i++) {
            if (COMBINING.stream().anyMatch(node::has)) {
                return java.util.Optional.empty();
            }
            String name = path.get(i);
            JsonNode properties = node.get("properties");
            if (properties != null && properties.has(name)) {
                node = properties.get(name);
                continue;
            }
            if (node.has("items") && name.matches("\\d{1,9}")) {
                node = node.get("items");
                continue;
            }
            if (node.has("patternProperties") || node.path("additionalProperties").isObject()
                    || node.path("additionalProperties").asBoolean(false) || node.has("unevaluatedProperties")
                    && !node.get("unevaluatedProperties").equals(BooleanNode.FALSE)) {
                return java.util.Optional.empty();
            }
            String where = "settings." + extension + (i == 0 ? "" : "." + String.join(".", path.subList(0, i)));
            List<String> known = new java.util.ArrayList<>();
            if (properties != null) {
                properties.fieldNames().forEachRemaining(known::add);
            }
            return java.util.Optional.of(where + " has no " + name + " in the model of " + describe() + (known.isEmpty()
                    ? "" : "; it defines " + String.join(", ", known)));
        }
        return java.util.Optional.empty();
    }

    private static final List<String> COMBINING = List.of("$ref", "$dynamicRef", "allOf", "anyOf", "oneOf", "if",
            "dependentSchemas");

    /** {@code extension version (source)}, as messages name the model. */
    public String describe() {
        return "extension " + extension + " " + version + " (" + source + ")";
    }

    /** Keywords whose value is a schema, a list of schemas, or a map from names to schemas. */
    private static final List<String> SCHEMA = List.of("additionalProperties", "items", "not", "if", "then", "else",
            "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties");
    private static final List<String> SCHEMA_LIST = List.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final List<String> SCHEMA_MAP = List.of("properties", "patternProperties", "$defs", "definitions",
            "dependentSchemas");

    private static void closeObjects(JsonNode node, String source, int depth) throws SettingsException {
        if (depth > MAX_DEPTH) {
            throw new SettingsException(source + ": the model nests deeper than " + MAX_DEPTH + " levels.");
        }
        if (!(node instanceof ObjectNode schema)) {
            return; // true, false: nothing to close
        }
        for (String reference : List.of("$ref", "$dynamicRef")) {
            JsonNode target = schema.get(reference);
            if (target != null && !target.asText().startsWith("#")) {
                throw new SettingsException(source + ": the model refers to " + Syntax.show(target.asText())
                        + "; a model refers only within itself (\"#/$defs/…\"), never to another document.");
            }
        }
        boolean objectSchema = "object".equals(schema.path("type").asText()) || schema.has("properties");
        if (objectSchema && OPENS_AN_OBJECT.stream().noneMatch(schema::has)) {
            schema.put("additionalProperties", false);
        }
        for (String keyword : SCHEMA) {
            if (schema.has(keyword)) {
                closeObjects(schema.get(keyword), source, depth + 1);
            }
        }
        for (String keyword : SCHEMA_LIST) {
            for (JsonNode element : schema.path(keyword)) {
                closeObjects(element, source, depth + 1);
            }
        }
        for (String keyword : SCHEMA_MAP) {
            if (schema.get(keyword) instanceof ObjectNode named) {
                for (Iterator<JsonNode> schemas = named.elements(); schemas.hasNext(); ) {
                    closeObjects(schemas.next(), source, depth + 1);
                }
            }
        }
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
