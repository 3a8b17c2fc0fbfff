package dev.twoliter.engine.sdk;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Reads what package-facts.py reported from inside a step. The headers it copies come from
 * whoever built the packages (kit vendors included), so every field is checked here before the
 * plugin uses it: names and versions against RPM's syntax, texts for length.
 */
public final class PackageFacts {
    private static final int MAX_TEXT = 64 * 1024;
    private static final long MAX_FILE = 256L << 20;

    private PackageFacts() {}

    /** Name, epoch, version, release and arch: what tells one package build from another. */
    public record Nevra(String name, long epoch, String version, String release, String arch) {
        @Override
        public String toString() {
            return name + "-" + (epoch == 0 ? "" : epoch + ":") + version + "-" + release + "." + arch;
        }
    }

    /** An RPM file and what its header says; {@code license} as the packager wrote it ("" if none). */
    public record RpmFile(String path, Nevra nevra, List<String> scriptlets, String license) {}

    /** A package installed into a root, and the dnf repository it came from. */
    public record InstalledPackage(Nevra nevra, String repository, String group, String url, String summary,
            List<String> scriptlets, String license) {}

    /** A settings fragment file in the installed root and the package that owns it ("" if none). */
    public record SettingsFragment(String file, String owner) {}

    /** A settings extension's directory in the installed root and the package owning its declaration ("" if none). */
    public record SettingsExtensionOwner(String directory, String owner) {}

    /** What an install step reported. */
    public record Installed(List<InstalledPackage> packages, List<SettingsFragment> settingsFragments,
            List<SettingsExtensionOwner> settingsExtensions) {}

    public static List<RpmFile> readFiles(Path file) throws TwoliterException, IOException {
        TomlParseResult toml = parse(file);
        List<RpmFile> rpms = new ArrayList<>();
        TomlArray array = toml.getArray("rpm");
        for (int i = 0; array != null && i < array.size(); i++) {
            TomlTable t = table(array, i, file, "rpm");
            String path = text(t, "path", file, "rpm", i);
            if (!Syntax.isOneLine(path, 4096) || path.startsWith("/") || path.contains("..")) {
                throw bad(file, "rpm", i, "path", path);
            }
            rpms.add(new RpmFile(path, nevra(t, file, "rpm", i), scriptlets(t, file, "rpm", i),
                    license(t, file, "rpm", i)));
        }
        return List.copyOf(rpms);
    }

    public static Installed readInstalled(Path file) throws TwoliterException, IOException {
        TomlParseResult toml = parse(file);
        List<InstalledPackage> packages = new ArrayList<>();
        TomlArray array = toml.getArray("package");
        for (int i = 0; array != null && i < array.size(); i++) {
            TomlTable t = table(array, i, file, "package");
            String repository = text(t, "repository", file, "package", i);
            if (!repository.isEmpty() && !Syntax.isOneLine(repository, 255)) {
                throw bad(file, "package", i, "repository", repository);
            }
            packages.add(new InstalledPackage(nevra(t, file, "package", i), repository, longText(t, "group", file, i),
                    longText(t, "url", file, i), longText(t, "summary", file, i), scriptlets(t, file, "package", i),
                    license(t, file, "package", i)));
        }
        List<SettingsFragment> fragments = new ArrayList<>();
        for (String[] owned : ownedFiles(toml, file, "settings-fragment", "file")) {
            if (!owned[0].endsWith(".toml")) {
                throw badFragment(owned[0], file);
            }
            fragments.add(new SettingsFragment(owned[0], owned[1]));
        }
        List<SettingsExtensionOwner> extensions = new ArrayList<>();
        for (String[] owned : ownedFiles(toml, file, "settings-extension", "directory")) {
            extensions.add(new SettingsExtensionOwner(owned[0], owned[1]));
        }
        return new Installed(List.copyOf(packages), List.copyOf(fragments), List.copyOf(extensions));
    }

    private static TwoliterException badFragment(String name, Path file) {
        return new TwoliterException("a package ships the settings fragment " + Syntax.show(name)
                + ", which is not a plain file name ending in .toml; refused (from " + file + ").");
    }

    /** The entries of an array of tables {name, owner}: a plain file name and a package name ("" if none). */
    private static List<String[]> ownedFiles(TomlParseResult toml, Path file, String array, String nameKey)
            throws TwoliterException {
        List<String[]> owned = new ArrayList<>();
        TomlArray entries = toml.getArray(array);
        for (int i = 0; entries != null && i < entries.size(); i++) {
            TomlTable t = table(entries, i, file, array);
            String name = text(t, nameKey, file, array, i);
            String owner = text(t, "owner", file, array, i);
            if (!Syntax.isPlainFileName(name)) {
                if (array.equals("settings-fragment")) {
                    throw badFragment(name, file);
                }
                throw bad(file, array, i, nameKey, name);
            }
            if (!owner.isEmpty() && !Syntax.isRpmName(owner)) {
                throw bad(file, array, i, "owner", owner);
            }
            owned.add(new String[] {name, owner});
        }
        return owned;
    }

    private static TomlParseResult parse(Path file) throws TwoliterException, IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new TwoliterException("the package report " + file + " is larger than " + MAX_FILE + " bytes.");
        }
        TomlParseResult toml = Toml.parse(file);
        if (toml.hasErrors()) {
            throw new TwoliterException("the package report " + file + " cannot be read: " + toml.errors().get(0));
        }
        return toml;
    }

    private static TomlTable table(TomlArray array, int i, Path file, String key) throws TwoliterException {
        Object value = array.get(i);
        if (!(value instanceof TomlTable t)) {
            throw new TwoliterException("the package report " + file + " has a malformed " + key + " entry " + (i + 1)
                    + ".");
        }
        return t;
    }

    private static Nevra nevra(TomlTable t, Path file, String key, int i) throws TwoliterException {
        String name = text(t, "name", file, key, i);
        Object epochValue = t.get("epoch");
        String version = text(t, "version", file, key, i);
        String release = text(t, "release", file, key, i);
        String arch = text(t, "arch", file, key, i);
        if (!Syntax.isRpmName(name)) {
            throw bad(file, key, i, "name", name);
        }
        if (!(epochValue instanceof Long epoch) || !Syntax.isRpmEpoch(epoch)) {
            throw bad(file, key, i, "epoch", String.valueOf(epochValue));
        }
        if (!Syntax.isRpmVersion(version)) {
            throw bad(file, key, i, "version", version);
        }
        if (!Syntax.isRpmVersion(release)) {
            throw bad(file, key, i, "release", release);
        }
        if (!Syntax.isRpmArch(arch)) {
            throw bad(file, key, i, "arch", arch);
        }
        return new Nevra(name, epoch, version, release, arch);
    }

    private static List<String> scriptlets(TomlTable t, Path file, String key, int i) throws TwoliterException {
        TomlArray array = t.getArray("scriptlets");
        List<String> names = new ArrayList<>();
        for (int j = 0; array != null && j < array.size(); j++) {
            Object value = array.get(j);
            if (!(value instanceof String s) || !s.matches("%[a-z]{1,20}")) {
                throw bad(file, key, i, "scriptlets", String.valueOf(value));
            }
            names.add(s);
        }
        return List.copyOf(names);
    }

    private static String text(TomlTable t, String field, Path file, String key, int i) throws TwoliterException {
        Object value = t.get(field);
        if (!(value instanceof String s)) {
            throw new TwoliterException("the package report " + file + " lacks " + field + " in " + key + " entry "
                    + (i + 1) + ".");
        }
        return s;
    }

    /**
     * The License tag: one line of at most 4096 characters (SPDX expressions and Fedora's old texts
     * alike); reports of older plugin versions have none.
     */
    private static String license(TomlTable t, Path file, String key, int i) throws TwoliterException {
        Object value = t.get("license");
        if (value == null) {
            return "";
        }
        if (!(value instanceof String s) || !(s.isEmpty() || Syntax.isOneLine(s, 4096))) {
            throw bad(file, key, i, "license", String.valueOf(value));
        }
        return s;
    }

    /** Free texts (summary, URL, group) go only into JSON documents, which escape them; they are only bounded. */
    private static String longText(TomlTable t, String field, Path file, int i) throws TwoliterException {
        String value = text(t, field, file, "package", i);
        return value.length() > MAX_TEXT ? value.substring(0, MAX_TEXT) : value;
    }

    private static TwoliterException bad(Path file, String key, int i, String field, String value) {
        return new TwoliterException("package " + (i + 1) + " in " + file + " has an invalid " + field + " "
                + Syntax.show(value) + " (" + key + " entry " + (i + 1) + "); a package with such a header is"
                + " refused.");
    }
}
