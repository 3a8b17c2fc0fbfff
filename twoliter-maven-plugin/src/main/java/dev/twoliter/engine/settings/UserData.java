package dev.twoliter.engine.settings;

import dev.twoliter.engine.Syntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A fleet's user data over the image's defaults, as a machine applies it at boot: only a
 * {@code [settings]} table (Bottlerocket's rule), its values replacing the defaults' key by key
 * (tables merge, scalars and arrays are replaced whole), a value where the defaults have a table or
 * the other way round refused.
 *
 * @param settings every setting by dotted key after the user data
 * @param origins where each key was set: the user data's {@code file:line}, or the default's origin
 */
public record UserData(Map<String, Object> settings, Map<String, String> origins) {
    static final int MAX_BYTES = 1 << 20;

    /**
     * @param defaults the defaults by dotted key, tables left out (as the merge gives them)
     * @param defaultOrigins where each default was set
     * @param text the user data
     * @param source the user data's file, for messages
     */
    public static UserData apply(Map<String, Object> defaults, Map<String, String> defaultOrigins, String text,
            String source) throws SettingsException {
        if (text.length() > MAX_BYTES) {
            throw new SettingsException(source + " is larger than " + MAX_BYTES + " bytes.");
        }
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            throw new SettingsException(source + " is not valid TOML: " + toml.errors().get(0));
        }
        for (String top : new TreeMap<>(toml.toMap()).keySet()) {
            if (!top.equals("settings")) {
                throw new SettingsException(at(toml, top, source) + ": user data holds only a [settings] table; "
                        + Syntax.show(top) + " is not one.");
            }
        }
        Map<String, Object> settings = new TreeMap<>(defaults);
        Map<String, String> origins = new TreeMap<>(defaultOrigins);
        List<String> given = new ArrayList<>();
        for (String key : toml.dottedKeySet()) {
            Object value = toml.get(Toml.parseDottedKey(key));
            if (!(value instanceof TomlTable) && key.startsWith("settings.")) {
                given.add(key);
            }
        }
        if (toml.get("settings") != null && !(toml.get("settings") instanceof TomlTable)) {
            throw new SettingsException(at(toml, "settings", source) + ": settings is a table of settings, not a"
                    + " value.");
        }
        for (String key : given) {
            for (String existing : new ArrayList<>(settings.keySet())) {
                if (existing.startsWith(key + ".")) {
                    throw new SettingsException(at(toml, key, source) + ": " + key + " is a table of settings in the"
                            + " image (" + existing + ", set in " + defaultOrigins.getOrDefault(existing, "the defaults")
                            + "), not a value.");
                }
                if (key.startsWith(existing + ".")) {
                    throw new SettingsException(at(toml, key, source) + ": " + existing + " is a value in the image"
                            + " (set in " + defaultOrigins.getOrDefault(existing, "the defaults") + "), not a table.");
                }
            }
            settings.put(key, toml.get(Toml.parseDottedKey(key)));
            origins.put(key, at(toml, key, source));
        }
        return new UserData(settings, origins);
    }

    private static String at(TomlParseResult toml, String key, String source) {
        TomlPosition p = toml.inputPositionOf(Toml.parseDottedKey(key));
        return p == null ? source : source + ":" + p.line();
    }
}
