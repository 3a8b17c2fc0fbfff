package dev.twoliter.engine.closure;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.sdk.PackageFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Reads what {@code package-facts.py deps} reported: every RPM's identity, provides, requires and
 * files. The headers come from whoever built the packages, so every value is checked before the
 * closure check trusts it: identities against RPM's syntax, dependencies against rpm's grammar,
 * paths for form, and every list and text for size.
 */
public final class DepsFacts {
    /** package-facts.py refuses more too, so a report never silently drops a package's files. */
    public static final int MAX_FILES = 100_000;
    static final int MAX_DEPENDENCIES = 100_000;
    private static final int MAX_PATH = 4096;
    private static final long MAX_REPORT = 256L << 20;

    private DepsFacts() {}

    public static List<PackageDeps> read(Path file) throws TwoliterException, IOException {
        return read(file, MAX_FILES);
    }

    /** As {@link #read(Path)}, with another bound on each package's files (tests use a small one). */
    static List<PackageDeps> read(Path file, int maxFiles) throws TwoliterException, IOException {
        if (Files.size(file) > MAX_REPORT) {
            throw new TwoliterException("the dependency report " + file + " is larger than " + MAX_REPORT + " bytes.");
        }
        TomlParseResult toml = Toml.parse(file);
        if (toml.hasErrors()) {
            throw new TwoliterException("the dependency report " + file + " cannot be read: " + toml.errors().get(0));
        }
        if (!Long.valueOf(1).equals(toml.get("format-version"))) {
            throw new TwoliterException("the dependency report " + file + " has format-version "
                    + Syntax.show(String.valueOf(toml.get("format-version"))) + "; this plugin reads 1.");
        }
        List<PackageDeps> packages = new ArrayList<>();
        TomlArray rpms = toml.getArray("rpm");
        for (int i = 0; rpms != null && i < rpms.size(); i++) {
            packages.add(new Entry(file, i, rpms.get(i)).read(maxFiles));
        }
        return List.copyOf(packages);
    }

    /** One [[rpm]] table; errors name the report, the entry and, once known, the package. */
    private static final class Entry {
        private final Path file;
        private final int index;
        private final Object value;
        private String where;

        Entry(Path file, int index, Object value) {
            this.file = file;
            this.index = index;
            this.value = value;
            this.where = "rpm entry " + (index + 1);
        }

        PackageDeps read(int maxFiles) throws TwoliterException {
            if (!(value instanceof TomlTable t)) {
                throw fail("is not a table");
            }
            String path = text(t, "path");
            if (!isRelativeRpmPath(path)) {
                throw fail("has the path " + Syntax.show(path) + ", which is not a relative path of plain names"
                        + " ending in .rpm");
            }
            PackageFacts.Nevra nevra = nevra(t);
            where = "rpm entry " + (index + 1) + " (" + nevra + ", " + path + ")";
            List<Capability> provides = new ArrayList<>();
            for (String text : strings(t, "provides", MAX_DEPENDENCIES)) {
                try {
                    provides.add(Capability.parse(text));
                } catch (DependencySyntaxException e) {
                    throw fail("provides " + Syntax.show(text) + ", which rpm would not write: " + e.getMessage());
                }
            }
            List<Requirement> requires = new ArrayList<>();
            for (String text : strings(t, "requires", MAX_DEPENDENCIES)) {
                try {
                    requires.add(Requirement.parse(text));
                } catch (DependencySyntaxException e) {
                    throw fail("requires " + Syntax.show(text) + ", which rpm would not write: " + e.getMessage());
                }
            }
            Set<String> files = new HashSet<>();
            for (String shipped : strings(t, "files", maxFiles)) {
                if (!shipped.startsWith("/") || !Syntax.isOneLine(shipped, MAX_PATH)) {
                    throw fail("ships the file " + Syntax.show(shipped) + ", which is not an absolute path of one line"
                            + " of at most " + MAX_PATH + " characters");
                }
                files.add(shipped);
            }
            try {
                return PackageDeps.of(nevra, provides, requires, files);
            } catch (DependencySyntaxException e) {
                throw fail("cannot provide itself: " + e.getMessage());
            }
        }

        private PackageFacts.Nevra nevra(TomlTable t) throws TwoliterException {
            String name = text(t, "name");
            Object epoch = t.get("epoch");
            String version = text(t, "version");
            String release = text(t, "release");
            String arch = text(t, "arch");
            if (!Syntax.isRpmName(name)) {
                throw fail("has the invalid name " + Syntax.show(name));
            }
            if (!(epoch instanceof Long e) || !Syntax.isRpmEpoch(e)) {
                throw fail("has the invalid epoch " + Syntax.show(String.valueOf(epoch)));
            }
            if (!Syntax.isRpmVersion(version)) {
                throw fail("has the invalid version " + Syntax.show(version));
            }
            if (!Syntax.isRpmVersion(release)) {
                throw fail("has the invalid release " + Syntax.show(release));
            }
            if (!Syntax.isRpmArch(arch)) {
                throw fail("has the invalid arch " + Syntax.show(arch));
            }
            return new PackageFacts.Nevra(name, e, version, release, arch);
        }

        /**
         * Names the RPM in messages only, so the rule is about form: relative, no empty, hidden, "." or
         * ".." parts. rpmbuild puts '^' in file names of caret versions, which plain names lack.
         */
        private static boolean isRelativeRpmPath(String path) {
            if (!Syntax.isOneLine(path, MAX_PATH) || !path.endsWith(".rpm")) {
                return false;
            }
            for (String part : path.split("/", -1)) {
                if (!Syntax.isPlainFileName(part.replace('^', '_'))) {
                    return false;
                }
            }
            return true;
        }

        private String text(TomlTable t, String key) throws TwoliterException {
            if (!(t.get(key) instanceof String s)) {
                throw fail("lacks " + key + " or it is not a string");
            }
            return s;
        }

        private List<String> strings(TomlTable t, String key, int max) throws TwoliterException {
            if (!(t.get(key) instanceof TomlArray array)) {
                throw fail("lacks " + key + " or it is not an array");
            }
            if (array.size() > max) {
                throw fail("has " + array.size() + " " + key + ", more than the " + max + " a package may have here");
            }
            List<String> values = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof String s)) {
                    throw fail("has a " + key + " entry that is not a string");
                }
                values.add(s);
            }
            return values;
        }

        private TwoliterException fail(String what) {
            return new TwoliterException("the dependency report " + file + ": " + where + " " + what
                    + "; a package with such a header is refused.");
        }
    }
}
