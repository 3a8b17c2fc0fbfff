package dev.twoliter.engine.io;

import java.util.List;
import java.util.stream.Collectors;
import org.tomlj.Toml;

/**
 * Pieces of TOML text. Files the plugin writes (kit manifests, the lock file) are written line by
 * line in a fixed order, so that equal content always gives equal bytes; tomlj reads them back.
 */
public final class TomlText {
    private TomlText() {}

    public static String string(String value) {
        return "\"" + Toml.tomlEscape(value) + "\"";
    }

    public static String strings(List<String> values) {
        return values.stream().map(TomlText::string).collect(Collectors.joining(", ", "[", "]"));
    }

    public static String entry(String key, String value) {
        return key + " = " + string(value) + "\n";
    }

    public static String entry(String key, long value) {
        return key + " = " + value + "\n";
    }
}
