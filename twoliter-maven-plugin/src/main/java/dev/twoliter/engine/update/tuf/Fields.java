package dev.twoliter.engine.update.tuf;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reading and writing the fields every metadata file shares. Everything read comes from a server,
 * so each value is checked for type and range, and errors name the file and the field.
 */
final class Fields {
    static final String SPEC_VERSION = "1.0.31";
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SPEC = Pattern.compile("1\\.[0-9]{1,4}(\\.[0-9]{1,4})?");
    private static final Pattern EXPIRES = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z");
    private static final Pattern HASH_NAME = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern HEX = Pattern.compile("([0-9a-f]{2}){1,1024}");
    private static final int MAX_HASHES = 8;

    private Fields() {}

    static JsonNode parse(byte[] bytes, String fileName) throws TufException {
        try {
            return MAPPER.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TufException(fileName + " is not valid JSON (or repeats a key): " + e.getOriginalMessage()
                    + ". The repository is damaged or hostile; do not use it.", e);
        } catch (java.io.IOException e) {
            throw new TufException(fileName + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    static JsonNode field(JsonNode parent, String name, String where) throws TufException {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            throw new TufException(where + " lacks the field \"" + name + "\".");
        }
        return value;
    }

    static ObjectNode object(JsonNode parent, String name, String where) throws TufException {
        JsonNode value = field(parent, name, where);
        if (!(value instanceof ObjectNode object)) {
            throw new TufException(where + ": \"" + name + "\" must be a JSON object, found " + value.getNodeType()
                    + ".");
        }
        return object;
    }

    static String text(JsonNode parent, String name, String where, int maxLength) throws TufException {
        JsonNode value = field(parent, name, where);
        if (!value.isTextual() || value.textValue().length() > maxLength) {
            throw new TufException(where + ": \"" + name + "\" must be a string of at most " + maxLength
                    + " characters, found " + describe(value) + ".");
        }
        return value.textValue();
    }

    static long integer(JsonNode parent, String name, String where, long min, long max) throws TufException {
        JsonNode value = field(parent, name, where);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min
                || value.longValue() > max) {
            throw new TufException(where + ": \"" + name + "\" must be an integer from " + min + " to " + max
                    + ", found " + describe(value) + ".");
        }
        return value.longValue();
    }

    static int version(JsonNode parent, String where) throws TufException {
        return (int) integer(parent, "version", where, 1, Integer.MAX_VALUE);
    }

    /** Checks {@code _type} and {@code spec_version} of a role's "signed" object. */
    static void header(JsonNode signed, TufRole role, String where) throws TufException {
        String type = text(signed, "_type", where, 32);
        if (!type.equals(role.roleName())) {
            throw new TufException(where + " is " + type + " metadata, expected " + role.roleName()
                    + " metadata: the server put the wrong file under this name.");
        }
        String spec = text(signed, "spec_version", where, 16);
        if (!SPEC.matcher(spec).matches()) {
            throw new TufException(where + " is written for TUF specification " + spec
                    + "; only 1.x is understood.");
        }
        if (signed.has("delegations") && !emptyDelegations(signed.get("delegations"))) {
            throw new TufException(where + " declares delegated roles; this client supports the top-level roles"
                    + " only (root, targets, snapshot, timestamp). Publish the targets in targets.json itself.");
        }
    }

    private static boolean emptyDelegations(JsonNode delegations) {
        if (delegations.isNull()) {
            return true;
        }
        JsonNode roles = delegations.get("roles");
        JsonNode keys = delegations.get("keys");
        return delegations.isObject() && (roles == null || roles.isArray() && roles.isEmpty())
                && (keys == null || keys.isObject() && keys.isEmpty());
    }

    static Instant expires(JsonNode signed, String where) throws TufException {
        String text = text(signed, "expires", where, 40);
        try {
            if (EXPIRES.matcher(text).matches()) {
                return Instant.parse(text);
            }
        } catch (DateTimeParseException e) {
            // worded below
        }
        throw new TufException(where + ": \"expires\" must be a UTC time such as 2026-12-20T00:00:00Z, found \""
                + text + "\".");
    }

    static ObjectNode header(TufRole role, int version, Instant expires) {
        ObjectNode signed = NODES.objectNode();
        signed.put("_type", role.roleName());
        signed.put("spec_version", SPEC_VERSION);
        signed.put("version", version);
        signed.put("expires", expires.truncatedTo(ChronoUnit.SECONDS).toString());
        return signed;
    }

    /** Hash algorithm to lowercase hex; sha256 and sha512 must have their digest's length. */
    static Map<String, String> hashes(JsonNode parent, String where, boolean required) throws TufException {
        JsonNode node = parent.get("hashes");
        if (node == null && !required) {
            return Map.of();
        }
        ObjectNode object = object(parent, "hashes", where);
        if (object.isEmpty() || object.size() > MAX_HASHES) {
            throw new TufException(where + ": \"hashes\" must list 1 to " + MAX_HASHES + " hashes, found "
                    + object.size() + ".");
        }
        Map<String, String> hashes = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String value = e.getValue().isTextual() ? e.getValue().textValue() : "";
            int expected = e.getKey().equals("sha256") ? 64 : e.getKey().equals("sha512") ? 128 : -1;
            if (!HASH_NAME.matcher(e.getKey()).matches() || !HEX.matcher(value).matches()
                    || expected > 0 && value.length() != expected) {
                throw new TufException(where + ": hash \"" + e.getKey() + "\" must be lowercase hex"
                        + (expected > 0 ? " of " + expected + " digits" : "") + ", found " + describe(e.getValue())
                        + ".");
            }
            hashes.put(e.getKey(), value);
        }
        return hashes;
    }

    static ObjectNode hashesJson(Map<String, String> hashes) {
        ObjectNode node = NODES.objectNode();
        new TreeMap<>(hashes).forEach(node::put);
        return node;
    }

    /**
     * A target name a client can turn into a file name without escaping its directory: relative,
     * no {@code ..}, no empty segments, no backslash or control characters, at most 255 bytes.
     */
    static void checkTargetName(String name, String where) throws TufException {
        String problem = null;
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 255) {
            problem = "must have 1 to 255 bytes";
        } else if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            problem = "must be a relative path without empty segments";
        } else if (name.equals("..") || name.equals(".") || name.startsWith("../") || name.endsWith("/..")
                || name.contains("/../") || name.startsWith("./") || name.contains("/./") || name.endsWith("/.")) {
            problem = "must not contain \".\" or \"..\" segments";
        } else if (name.chars().anyMatch(c -> c == '\\' || c < 0x20 || c == 0x7f)) {
            problem = "must not contain backslashes or control characters";
        }
        if (problem != null) {
            throw new TufException(where + ": target name " + describe(NODES.textNode(name)) + " " + problem + ".");
        }
    }

    static String describe(JsonNode value) {
        String text = value.toString();
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
