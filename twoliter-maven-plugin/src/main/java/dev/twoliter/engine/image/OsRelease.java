package dev.twoliter.engine.image;

import java.util.Map;

/**
 * The image's {@code /usr/lib/os-release}. Shells source this file, so every value is written in
 * double quotes with {@code \ " $ `} escaped, as os-release(5) specifies; values are checked to be
 * one line before they get here (a newline would add a key).
 */
final class OsRelease {
    private OsRelease() {}

    static String render(Map<String, String> entries) {
        StringBuilder out = new StringBuilder();
        entries.forEach((key, value) -> out.append(key).append('=').append(quote(value)).append('\n'));
        return out.toString();
    }

    static String quote(String value) {
        if (value.chars().anyMatch(c -> c == '\n' || c == '\r' || Character.isISOControl(c))) {
            throw new IllegalArgumentException("os-release values are one line: " + value);
        }
        StringBuilder q = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '"' || c == '$' || c == '`') {
                q.append('\\');
            }
            q.append(c);
        }
        return q.append('"').toString();
    }
}
