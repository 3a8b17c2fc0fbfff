package dev.twoliter.engine.settings;

import dev.twoliter.engine.TwoliterException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * The image's default settings: TOML fragments shipped by packages under
 * {@code /usr/share/twoliter/settings.d/}, then the variant's own fragments, merged into one file.
 * A key set by two package fragments is a conflict, and so is a key set by two of the variant's
 * own fragments; a variant fragment overrides the packages. Tables merge key by key; values and
 * arrays are replaced whole.
 */
public final class SettingsDefaults {
    public static final String FRAGMENTS_DIR = "usr/share/twoliter/settings.d";
    public static final String OUTPUT = "usr/share/twoliter/settings-defaults.toml";
    static final int MAX_FRAGMENT_BYTES = 1 << 20;

    /** One fragment: a name for messages (package and path, or the module's file) and its content. */
    public record Fragment(String name, String text, boolean fromVariant) {}

    /**
     * The merge: every value by dotted key (tables left out), where each was set, and the file
     * written into the image.
     */
    public record Merged(Map<String, Object> values, Map<String, String> origins, String toml) {}

    private record Value(Object value, String origin, boolean fromVariant) {}

    private SettingsDefaults() {}

    /** Merges the fragments (in the order given). */
    public static Merged merge(List<Fragment> fragments, String module) throws TwoliterException {
        Map<String, Value> merged = new TreeMap<>();
        for (Fragment fragment : fragments) {
            if (fragment.text().length() > MAX_FRAGMENT_BYTES) {
                throw new TwoliterException(module + ": settings fragment " + fragment.name() + " is larger than "
                        + MAX_FRAGMENT_BYTES + " bytes.");
            }
            TomlParseResult toml = Toml.parse(fragment.text());
            if (toml.hasErrors()) {
                throw new TwoliterException(module + ": settings fragment " + fragment.name() + " is not valid TOML: "
                        + toml.errors().get(0).toString());
            }
            for (String key : toml.dottedKeySet()) {
                Object value = toml.get(Toml.parseDottedKey(key));
                if (value instanceof TomlTable) {
                    continue;
                }
                String origin = fragment.name() + position(toml, key);
                Value previous = merged.get(key);
                if (previous != null && previous.fromVariant() == fragment.fromVariant()) {
                    throw new TwoliterException(module + ": setting '" + key + "' is set by both " + previous.origin()
                            + " and " + origin + (fragment.fromVariant() ? "; the variant's own fragments may not"
                                    + " repeat a key." : "; packages may not override each other: set it in the"
                                    + " variant's own settings to decide."));
                }
                if (previous == null || fragment.fromVariant()) {
                    merged.put(key, new Value(value, origin, fragment.fromVariant()));
                }
            }
        }
        failOnValueAndTableAtOnce(merged, module);
        StringBuilder out = new StringBuilder("# Default settings of this image, merged by twoliter from:\n");
        fragments.forEach(f -> out.append("#   ").append(f.name().replaceAll("[\\r\\n]", "?")).append('\n'));
        Map<String, Object> values = new TreeMap<>();
        Map<String, String> origins = new TreeMap<>();
        for (Map.Entry<String, Value> e : merged.entrySet()) {
            out.append(Toml.joinKeyPath(Toml.parseDottedKey(e.getKey()))).append(" = ")
                    .append(render(e.getValue().value())).append('\n');
            values.put(e.getKey(), e.getValue().value());
            origins.put(e.getKey(), e.getValue().origin());
        }
        return new Merged(values, origins, out.toString());
    }

    private static void failOnValueAndTableAtOnce(Map<String, Value> merged, String module) throws TwoliterException {
        List<String> keys = new ArrayList<>(merged.keySet());
        for (String key : keys) {
            for (String other : keys) {
                if (other.startsWith(key + ".")) {
                    throw new TwoliterException(module + ": setting '" + key + "' is a value in "
                            + merged.get(key).origin() + " but a table in " + merged.get(other).origin() + ".");
                }
            }
        }
    }

    private static String position(TomlTable toml, String key) {
        TomlPosition p = toml.inputPositionOf(Toml.parseDottedKey(key));
        return p == null ? "" : ":" + p.line();
    }

    static String render(Object value) {
        if (value instanceof String s) {
            return "\"" + Toml.tomlEscape(s) + "\"";
        }
        if (value instanceof TomlArray array) {
            return array.toToml().trim();
        }
        if (value instanceof TemporalAccessor t) {
            return value instanceof java.time.OffsetDateTime ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t)
                    : value instanceof java.time.LocalDateTime ? DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t)
                    : value instanceof java.time.LocalDate ? DateTimeFormatter.ISO_LOCAL_DATE.format(t)
                    : DateTimeFormatter.ISO_LOCAL_TIME.format(t);
        }
        return String.valueOf(value);
    }
}
