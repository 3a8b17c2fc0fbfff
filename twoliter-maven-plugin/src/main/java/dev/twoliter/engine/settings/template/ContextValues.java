package dev.twoliter.engine.settings.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Copies a render context into the values templates see. Maps become sorted maps because
 * Bottlerocket's settings are serde_json maps, which iterate in key order ({{#each}}, join_map,
 * toml_encode); ints and floats become Long and Double.
 */
final class ContextValues {
    private ContextValues() {}

    static Object copy(Object value, String where) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return Double.valueOf(f.toString());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new TreeMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                copy.put(key, copy(entry.getValue(), where + "." + key));
            }
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                copy.add(copy(list.get(i), where + "[" + i + "]"));
            }
            return copy;
        }
        throw new IllegalArgumentException(where + " is a " + value.getClass().getName()
                + "; settings values are maps, lists, strings, numbers and booleans");
    }
}
