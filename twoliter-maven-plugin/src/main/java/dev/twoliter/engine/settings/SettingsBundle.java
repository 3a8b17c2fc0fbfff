package dev.twoliter.engine.settings;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Everything an image's settings are made of, as its packages and the variant shipped them: the
 * defaults fragments, each extension's directory ({@value #EXTENSIONS_DIR}{@code /<name>/}: its
 * {@code extension.toml} and model) and the templates its configuration files name. A build keeps
 * it beside its outputs, so that user data can be checked against the image later without
 * installing it again (and without Docker).
 *
 * @param templates template text by its absolute path in the image
 */
public record SettingsBundle(List<SettingsDefaults.Fragment> fragments, List<ExtensionFiles> extensions,
        Map<String, String> templates) {
    /** Where packages put their extensions, one directory each, named as the extension. */
    public static final String EXTENSIONS_DIR = "usr/share/twoliter/settings/extensions";
    public static final int MAX_EXTENSIONS = 256;
    public static final int MAX_FILE_BYTES = 1 << 20;
    public static final int MAX_TOTAL_BYTES = 32 << 20;
    private static final String INDEX = "index.toml";

    /**
     * One extension's directory.
     *
     * @param owner the package that ships its declaration ("" if none)
     * @param files the directory's files by name
     */
    public record ExtensionFiles(String directory, String owner, Map<String, byte[]> files) {
        /** Where the declaration comes from, as messages name it. */
        public String source() {
            return (owner.isEmpty() ? "(no package)" : "package " + owner) + " /" + EXTENSIONS_DIR + "/" + directory
                    + "/" + SettingsExtension.FILE_NAME;
        }
    }

    public SettingsBundle {
        fragments = List.copyOf(fragments);
        extensions = List.copyOf(extensions);
        templates = new TreeMap<>(templates);
    }

    /** Writes the bundle into {@code dir}, replacing what was there only once it is complete. */
    public void write(Path dir) throws IOException {
        Path temp = dir.resolveSibling("." + dir.getFileName() + ".part");
        AtomicFiles.deleteTree(temp);
        Files.createDirectories(temp);
        StringBuilder index = new StringBuilder("# What this build's settings were made of (twoliter:settings reads"
                + " it).\nformat-version = 1\n");
        for (int i = 0; i < fragments.size(); i++) {
            SettingsDefaults.Fragment f = fragments.get(i);
            String file = "fragments/" + i + ".toml";
            write(temp.resolve(file), f.text().getBytes(StandardCharsets.UTF_8));
            index.append("\n[[fragment]]\nname = ").append(quote(f.name())).append("\nfile = ").append(quote(file))
                    .append("\nfrom-variant = ").append(f.fromVariant()).append('\n');
        }
        for (ExtensionFiles e : extensions) {
            for (Map.Entry<String, byte[]> file : e.files().entrySet()) {
                write(temp.resolve("extensions").resolve(e.directory()).resolve(file.getKey()), file.getValue());
            }
            index.append("\n[[extension]]\ndirectory = ").append(quote(e.directory())).append("\nowner = ")
                    .append(quote(e.owner())).append("\nfiles = [")
                    .append(String.join(", ", e.files().keySet().stream().map(SettingsBundle::quote).toList()))
                    .append("]\n");
        }
        int n = 0;
        for (Map.Entry<String, String> template : templates.entrySet()) {
            String file = "templates/" + n++;
            write(temp.resolve(file), template.getValue().getBytes(StandardCharsets.UTF_8));
            index.append("\n[[template]]\npath = ").append(quote(template.getKey())).append("\nfile = ")
                    .append(quote(file)).append('\n');
        }
        Files.writeString(temp.resolve(INDEX), index);
        AtomicFiles.deleteTree(dir);
        Files.move(temp, dir);
    }

    /** Reads a bundle a build wrote, with the same bounds as when it came from the image. */
    public static SettingsBundle read(Path dir) throws SettingsException, IOException {
        Path indexFile = dir.resolve(INDEX);
        if (!Files.isRegularFile(indexFile)) {
            throw new SettingsException("no settings of a built image in " + dir + "; build the variant first"
                    + " (mvn package; an image built by an older plugin keeps none: mvn package -Dtwoliter.force).");
        }
        TomlParseResult index = Toml.parse(new String(bounded(indexFile), StandardCharsets.UTF_8));
        if (index.hasErrors() || !Long.valueOf(1).equals(index.getLong("format-version"))) {
            throw new SettingsException(indexFile + " is not a settings index this plugin wrote; build the variant"
                    + " again (mvn package -Dtwoliter.force).");
        }
        Reader reader = new Reader(dir, indexFile);
        List<SettingsDefaults.Fragment> fragments = new ArrayList<>();
        for (TomlTable t : reader.tables(index.getArray("fragment"))) {
            fragments.add(new SettingsDefaults.Fragment(reader.text(t, "name"), reader.fileText(t, "file"),
                    Boolean.TRUE.equals(t.getBoolean("from-variant"))));
        }
        List<ExtensionFiles> extensions = new ArrayList<>();
        for (TomlTable t : reader.tables(index.getArray("extension"))) {
            String directory = reader.plainName(t, "directory");
            String owner = reader.text(t, "owner");
            Map<String, byte[]> files = new LinkedHashMap<>();
            TomlArray names = t.getArray("files");
            for (int i = 0; names != null && i < names.size() && i < MAX_EXTENSIONS; i++) {
                String name = String.valueOf(names.get(i));
                if (!Syntax.isPlainFileName(name)) {
                    throw reader.bad("file name " + Syntax.show(name));
                }
                files.put(name, reader.bytes(dir.resolve("extensions").resolve(directory).resolve(name)));
            }
            extensions.add(new ExtensionFiles(directory, owner, files));
        }
        Map<String, String> templates = new TreeMap<>();
        for (TomlTable t : reader.tables(index.getArray("template"))) {
            templates.put(reader.text(t, "path"), reader.fileText(t, "file"));
        }
        return new SettingsBundle(fragments, extensions, templates);
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    private static String quote(String text) {
        return "\"" + Toml.tomlEscape(text) + "\"";
    }

    private static byte[] bounded(Path file) throws SettingsException, IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new SettingsException(file + " is larger than " + MAX_FILE_BYTES + " bytes.");
        }
        return Files.readAllBytes(file);
    }

    /** Reads the index's entries, keeping every file it names inside the bundle and within the bounds. */
    private static final class Reader {
        private final Path dir;
        private final Path index;
        private long total;

        Reader(Path dir, Path index) {
            this.dir = dir;
            this.index = index;
        }

        List<TomlTable> tables(TomlArray array) throws SettingsException {
            List<TomlTable> tables = new ArrayList<>();
            for (int i = 0; array != null && i < array.size(); i++) {
                if (!(array.get(i) instanceof TomlTable t) || i >= 4 * MAX_EXTENSIONS) {
                    throw bad("entry " + i);
                }
                tables.add(t);
            }
            return tables;
        }

        String text(TomlTable t, String key) throws SettingsException {
            String value = t.getString(key);
            if (value == null || value.length() > 4096) {
                throw bad(key);
            }
            return value;
        }

        String plainName(TomlTable t, String key) throws SettingsException {
            String value = text(t, key);
            if (!Syntax.isPlainFileName(value)) {
                throw bad(key + " " + Syntax.show(value));
            }
            return value;
        }

        String fileText(TomlTable t, String key) throws SettingsException, IOException {
            String name = text(t, key);
            Path file = dir.resolve(name).normalize();
            if (!file.startsWith(dir.normalize()) || name.contains("..")) {
                throw bad(key + " " + Syntax.show(name));
            }
            return new String(bytes(file), StandardCharsets.UTF_8);
        }

        byte[] bytes(Path file) throws SettingsException, IOException {
            if (!Files.isRegularFile(file)) {
                throw new SettingsException(file + " is missing from the settings of the built image; build the"
                        + " variant again (mvn package -Dtwoliter.force).");
            }
            byte[] content = bounded(file);
            total += content.length;
            if (total > MAX_TOTAL_BYTES) {
                throw new SettingsException(dir + " holds more than " + MAX_TOTAL_BYTES + " bytes of settings.");
            }
            return content;
        }

        SettingsException bad(String what) {
            return new SettingsException(index + ": unexpected " + what + "; build the variant again (mvn package"
                    + " -Dtwoliter.force).");
        }
    }
}
