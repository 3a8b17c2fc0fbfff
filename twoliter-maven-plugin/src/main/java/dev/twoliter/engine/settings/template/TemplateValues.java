package dev.twoliter.engine.settings.template;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON-like values templates see (Map, List, String, Long, Double, Boolean, null) and how
 * Bottlerocket writes them: scalars as Rust's Display prints them, anything in a message as JSON.
 */
final class TemplateValues {
    private TemplateValues() {}

    /** Handlebars literals arrive as Integer or Float; settings carry Long and Double. */
    static Object normalizedLiteral(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return Double.valueOf(f.toString());
        }
        return value;
    }

    static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Boolean || isNumber(value);
    }

    static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof Double;
    }

    /** A scalar as serde_json's Number, bool and str Display it (1.0 stays "1.0", 1e20 is "1e20"). */
    static String display(Object scalar) {
        if (scalar instanceof Double d) {
            return displayDouble(d);
        }
        return scalar.toString();
    }

    private static String displayDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return d > 0 ? "inf" : (d < 0 ? "-inf" : "NaN");
        }
        String java = Double.toString(d);
        int exponent = java.indexOf('E');
        if (exponent < 0) {
            return java;
        }
        String mantissa = java.substring(0, exponent);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        return mantissa + "e" + java.substring(exponent + 1);
    }

    /** A value as JSON, for messages; long strings are cut so a message stays readable. */
    static String json(Object value) {
        String json = jsonOf(value);
        return json.length() > 200 ? json.substring(0, 200) + "..." : json;
    }

    private static String jsonOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            return quoted(text);
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(e -> quoted(String.valueOf(e.getKey())) + ":" + jsonOf(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TemplateValues::jsonOf).collect(Collectors.joining(",", "[", "]"));
        }
        if (value instanceof Double d) {
            return display(d);
        }
        return value.toString();
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
