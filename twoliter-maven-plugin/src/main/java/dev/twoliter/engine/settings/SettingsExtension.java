package dev.twoliter.engine.settings;

import dev.twoliter.engine.Syntax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A settings extension as a package declares it ({@value #FILE_NAME}): its name and version, the
 * file of its model beside the declaration, and, with Bottlerocket's table names and meaning, the
 * configuration files it renders ({@code [configuration-files.<name>]}: path, template-path, mode),
 * the services those affect ({@code [services.<name>]}: configuration-files, restart-commands) and
 * the services a change to its settings affects ({@code [metadata.settings.<extension>]}:
 * affected-services). Unknown tables and keys are refused, so a typo is found where it was made.
 *
 * @param source where the declaration comes from, for messages (package and path)
 */
public record SettingsExtension(String name, String version, String modelFile,
        Map<String, ConfigurationFile> configurationFiles, Map<String, Service> services,
        List<String> affectedServices, String source) {
    public static final String FILE_NAME = "extension.toml";
    static final int MAX_BYTES = 256 << 10;
    private static final int MAX_ENTRIES = 256;
    private static final Pattern ENTRY_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");

    /** A file rendered from a template; {@code mode} as an octal string such as {@code 0644}. */
    public record ConfigurationFile(String name, String path, String templatePath, String mode) {}

    /** A service, the configuration files it reads and the commands that restart it after a change. */
    public record Service(String name, List<String> configurationFiles, List<String> restartCommands) {}

    public static SettingsExtension parse(String text, String source) throws SettingsException {
        if (text.length() > MAX_BYTES) {
            throw new SettingsException(source + " is larger than " + MAX_BYTES + " bytes.");
        }
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            throw new SettingsException(source + " is not valid TOML: " + toml.errors().get(0));
        }
        Reader reader = new Reader(toml, source);
        reader.onlyKeys("", Set.of("extension", "configuration-files", "services", "metadata"));
        reader.onlyKeys("extension", Set.of("name", "version", "model"));
        String name = reader.string("extension.name");
        SettingsNames.checkExtension(name, reader.at("extension.name"));
        String version = reader.string("extension.version");
        SettingsNames.checkVersion(version, reader.at("extension.version"));
        String model = reader.string("extension.model");
        if (!Syntax.isPlainFileName(model)) {
            throw new SettingsException(reader.at("extension.model") + ": the model " + Syntax.show(model)
                    + " is not a file name beside " + FILE_NAME + ".");
        }
        Map<String, ConfigurationFile> files = new LinkedHashMap<>();
        for (String entry : reader.entries("configuration-files")) {
            String key = "configuration-files." + entry;
            reader.onlyKeys(key, Set.of("path", "template-path", "mode"));
            String mode = reader.optionalString(key + ".mode", "0644");
            if (!MODE.matcher(mode).matches()) {
                throw new SettingsException(reader.at(key + ".mode") + ": mode " + Syntax.show(mode)
                        + " is not an octal file mode such as \"0644\".");
            }
            files.put(entry, new ConfigurationFile(entry, reader.absolutePath(key + ".path"),
                    reader.absolutePath(key + ".template-path"), mode.length() == 3 ? "0" + mode : mode));
        }
        Map<String, Service> services = new LinkedHashMap<>();
        for (String entry : reader.entries("services")) {
            String key = "services." + entry;
            reader.onlyKeys(key, Set.of("configuration-files", "restart-commands"));
            List<String> reads = reader.strings(key + ".configuration-files");
            for (String file : reads) {
                if (!files.containsKey(file)) {
                    throw new SettingsException(reader.at(key + ".configuration-files") + ": service " + entry
                            + " reads configuration file " + Syntax.show(file) + ", which the extension does not"
                            + " declare (it declares: " + String.join(", ", files.keySet()) + ").");
                }
            }
            services.put(entry, new Service(entry, reads, reader.strings(key + ".restart-commands")));
        }
        List<String> affected = List.of();
        if (toml.get("metadata") != null) {
            reader.onlyKeys("metadata", Set.of("settings"));
            reader.onlyKeys("metadata.settings", Set.of(name));
            String key = "metadata.settings." + Toml.joinKeyPath(List.of(name));
            reader.onlyKeys(key, Set.of("affected-services"));
            affected = reader.strings(key + ".affected-services");
            for (String service : affected) {
                if (!services.containsKey(service)) {
                    throw new SettingsException(reader.at(key + ".affected-services") + ": affected service "
                            + Syntax.show(service) + " is not among the extension's services ("
                            + String.join(", ", services.keySet()) + ").");
                }
            }
        }
        return new SettingsExtension(name, version, model, files, services, affected, source);
    }

    /** Typed, bounded access to the declaration, with {@code source:line} for messages. */
    private record Reader(TomlParseResult toml, String source) {
        String at(String key) {
            TomlPosition p = key.isEmpty() ? null : toml.inputPositionOf(Toml.parseDottedKey(key));
            return p == null ? source : source + ":" + p.line();
        }

        TomlTable table(String key) throws SettingsException {
            Object value = key.isEmpty() ? toml : toml.get(Toml.parseDottedKey(key));
            if (value == null) {
                return null;
            }
            if (!(value instanceof TomlTable t)) {
                throw new SettingsException(at(key) + ": " + key + " is not a table.");
            }
            return t;
        }

        void onlyKeys(String key, Set<String> allowed) throws SettingsException {
            TomlTable table = table(key);
            if (table == null) {
                return;
            }
            for (String present : new TreeMap<>(table.toMap()).keySet()) {
                if (!allowed.contains(present)) {
                    String full = key.isEmpty() ? present : key + "." + Toml.joinKeyPath(List.of(present));
                    throw new SettingsException(at(full) + ": unknown key " + Syntax.show(full) + " (known here: "
                            + String.join(", ", new java.util.TreeSet<>(allowed)) + ").");
                }
            }
        }

        List<String> entries(String key) throws SettingsException {
            TomlTable table = table(key);
            if (table == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>(new TreeMap<>(table.toMap()).keySet());
            if (names.size() > MAX_ENTRIES) {
                throw new SettingsException(at(key) + ": more than " + MAX_ENTRIES + " entries in " + key + ".");
            }
            for (String name : names) {
                if (!ENTRY_NAME.matcher(name).matches()) {
                    throw new SettingsException(at(key) + ": " + key + " entry " + Syntax.show(name) + " is not a name"
                            + " of lower-case letters, digits, '-' and '_'.");
                }
            }
            return names;
        }

        String string(String key) throws SettingsException {
            Object value = toml.get(Toml.parseDottedKey(key));
            if (!(value instanceof String s) || !Syntax.isOneLine(s, 4096) || s.isBlank()) {
                throw new SettingsException(at(key) + ": " + key + (value == null ? " is missing" : " is not a"
                        + " one-line string") + ".");
            }
            return s;
        }

        String optionalString(String key, String otherwise) throws SettingsException {
            return toml.get(Toml.parseDottedKey(key)) == null ? otherwise : string(key);
        }

        String absolutePath(String key) throws SettingsException {
            String path = string(key);
            java.nio.file.Path normal = java.nio.file.Path.of(path).normalize();
            if (!path.startsWith("/") || !normal.toString().equals(path) || path.equals("/") || path.contains("\\")) {
                throw new SettingsException(at(key) + ": " + key + " " + Syntax.show(path) + " is not a normal"
                        + " absolute path (such as /etc/motd).");
            }
            return path;
        }

        List<String> strings(String key) throws SettingsException {
            Object value = toml.get(Toml.parseDottedKey(key));
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof TomlArray array) || array.size() > MAX_ENTRIES) {
                throw new SettingsException(at(key) + ": " + key + " is not a list of at most " + MAX_ENTRIES
                        + " strings.");
            }
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof String s) || !Syntax.isOneLine(s, 4096)) {
                    throw new SettingsException(at(key) + ": " + key + " holds something other than one-line"
                            + " strings.");
                }
                strings.add(s);
            }
            return List.copyOf(strings);
        }
    }
}
