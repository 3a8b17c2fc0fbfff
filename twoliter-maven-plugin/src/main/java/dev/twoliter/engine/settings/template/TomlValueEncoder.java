package dev.twoliter.engine.settings.template;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes a template value as a TOML value the way Bottlerocket's toml_encode does (the toml crate's
 * inline form): arrays as {@code ["a", "b"]}, tables as {@code { key = "value" }}, and a string as a
 * literal string when it holds a quote or backslash and can be one, otherwise as an escaped basic
 * string. Values reach config files from users, so quoting must never let a value end its string.
 */
final class TomlValueEncoder {
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private TomlValueEncoder() {}

    /** Throws IllegalArgumentException for null, which TOML cannot express. */
    static String encode(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("TOML has no null");
        }
        if (value instanceof String text) {
            return string(text);
        }
        if (value instanceof Boolean || value instanceof Long) {
            return value.toString();
        }
        if (value instanceof Double d) {
            return floating(d);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TomlValueEncoder::encode).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return "{}";
            }
            return map.entrySet().stream()
                    .map(e -> key(String.valueOf(e.getKey())) + " = " + encode(e.getValue()))
                    .collect(Collectors.joining(", ", "{ ", " }"));
        }
        throw new IllegalArgumentException("a " + value.getClass().getSimpleName() + " is not a TOML value");
    }

    private static String floating(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String plain = new BigDecimal(Double.toString(d)).toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    private static String key(String key) {
        return BARE_KEY.matcher(key).matches() ? key : basic(key);
    }

    private static String string(String text) {
        if (!prefersLiteral(text) || !literalCanHold(text)) {
            return basic(text);
        }
        boolean multiline = text.indexOf('\n') >= 0;
        if (multiline) {
            // A newline right after ''' is dropped by TOML readers; the extra one keeps the value's own.
            return "'''\n" + text + "'''";
        }
        return text.indexOf('\'') >= 0 ? "'''" + text + "'''" : "'" + text + "'";
    }

    // Literal strings spare escaping only where a basic string would need it.
    private static boolean prefersLiteral(String text) {
        return text.indexOf('"') >= 0 || text.indexOf('\\') >= 0;
    }

    private static boolean literalCanHold(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            run = c == '\'' ? run + 1 : 0;
            if (run >= 3 || (c != '\t' && c != '\n' && (c <= 0x1f || c == 0x7f))) {
                return false;
            }
        }
        // A closing ''' cannot follow a quote of the value itself.
        return !text.endsWith("'");
    }

    private static String basic(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c <= 0x1f || c == 0x7f) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
