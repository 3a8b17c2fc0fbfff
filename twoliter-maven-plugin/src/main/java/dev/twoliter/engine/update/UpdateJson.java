package dev.twoliter.engine.update;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Checked reads of the fields of {@code manifest.json}: every value from a server is hostile until it passes. */
final class UpdateJson {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private UpdateJson() {}

    static String name(JsonNode node, String field, String where) throws TwoliterException {
        String value = text(node, field, where);
        if (!NAME.matcher(value).matches()) {
            throw new TwoliterException(where + ": \"" + field + "\" is " + Syntax.show(value)
                    + "; expected letters, digits, '.', '_' or '-'.");
        }
        return value;
    }

    static String targetName(JsonNode node, String field, String where) throws TwoliterException {
        String value = text(node, field, where);
        if (!Syntax.isPlainFileName(value) || value.length() > 255) {
            throw new TwoliterException(where + ": image \"" + field + "\" is " + Syntax.show(value)
                    + "; expected a target file name.");
        }
        return value;
    }

    static UpdateVersion version(JsonNode node, String field, String where) throws TwoliterException {
        String value = text(node, field, where);
        return UpdateVersion.parse(value).orElseThrow(() -> new TwoliterException(where + ": \"" + field + "\" is "
                + Syntax.show(value) + "; expected a semantic version such as 1.2.3."));
    }

    static Map<Integer, Instant> waves(JsonNode node, String where) throws TwoliterException {
        Map<Integer, Instant> waves = new TreeMap<>();
        if (node == null || node.isNull()) {
            return waves;
        }
        if (!node.isObject() || node.size() > 64) {
            throw new TwoliterException(where + ": \"waves\" must be an object of at most 64 seed bounds.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            int seed;
            try {
                seed = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                seed = -1;
            }
            if (seed < 0 || seed > WavePolicy.SEEDS || !e.getValue().isTextual()) {
                throw new TwoliterException(where + ": wave " + Syntax.show(e.getKey()) + " must be a seed bound from"
                        + " 0 to " + WavePolicy.SEEDS + " with a start time.");
            }
            try {
                waves.put(seed, Instant.parse(e.getValue().asText()));
            } catch (DateTimeParseException ex) {
                throw new TwoliterException(where + ": wave " + seed + " starts at " + Syntax.show(e.getValue()
                        .asText()) + ", which is not an RFC 3339 UTC time.");
            }
        }
        return waves;
    }

    private static String text(JsonNode node, String field, String where) throws TwoliterException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new TwoliterException(where + ": \"" + field + "\" is missing or not a string.");
        }
        return value.asText();
    }
}
