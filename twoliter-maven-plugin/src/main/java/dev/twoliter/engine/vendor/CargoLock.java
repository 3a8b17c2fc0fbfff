package dev.twoliter.engine.vendor;

import dev.twoliter.engine.Syntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Reads {@code Cargo.lock} (formats 2 to 4, where each package carries its checksum): the crates to
 * vendor are the packages from a registry; the project's own packages (no source) are skipped. A
 * crate from git, or from more than one registry, is refused: there is no checksum to hold a git
 * checkout to, and the build's source replacement covers one registry.
 */
public final class CargoLock {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
            + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
    static final int MAX_PACKAGES = 20_000;

    /** A crate the lock file pins: name, version, and the SHA-256 of its {@code .crate} file. */
    public record Crate(String name, String version, String checksum) {
        String id() {
            return name + " " + version;
        }
    }

    private CargoLock() {}

    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static boolean isVersion(String version) {
        return version != null && version.length() <= 128 && VERSION.matcher(version).matches();
    }

    /** The registry crates, sorted by name and version; {@code where} names the file in messages. */
    public static List<Crate> parse(String text, String where) throws VendorException {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            throw new VendorException(where + " cannot be read: " + toml.errors().get(0) + ".");
        }
        if (toml.get("metadata") != null) {
            throw new VendorException(where + " is in Cargo's first lock file format, which keeps checksums apart"
                    + " from the packages; regenerate it with a current cargo (cargo update --workspace).");
        }
        TomlArray packages = toml.getArray("package");
        Map<String, Crate> crates = new TreeMap<>();
        String registry = null;
        for (int i = 0; packages != null && i < packages.size(); i++) {
            if (i >= MAX_PACKAGES || !(packages.get(i) instanceof TomlTable p)) {
                throw new VendorException(where + " has more than " + MAX_PACKAGES + " packages or a malformed"
                        + " [[package]] " + (i + 1) + ".");
            }
            String name = p.get("name") instanceof String s ? s : null;
            String version = p.get("version") instanceof String s ? s : null;
            if (!isName(name) || !isVersion(version)) {
                throw new VendorException(where + ": [[package]] " + (i + 1) + " has an invalid name or version ("
                        + Syntax.show(String.valueOf(name)) + " " + Syntax.show(String.valueOf(version)) + ").");
            }
            Object source = p.get("source");
            if (source == null) {
                continue;
            }
            if (!(source instanceof String s) || !Syntax.isOneLine(s, 2048)) {
                throw new VendorException(where + ": crate " + name + " " + version + " has an invalid source.");
            }
            if (!s.startsWith("registry+") && !s.startsWith("sparse+")) {
                throw new VendorException(where + ": crate " + name + " " + version + " comes from "
                        + Syntax.show(s) + "; only crates from a registry can be vendored and checked. Publish it to"
                        + " your registry, or make it part of the package's sources.");
            }
            if (registry != null && !registry.equals(s)) {
                throw new VendorException(where + ": crates come from two registries (" + Syntax.show(registry)
                        + " and " + Syntax.show(s) + "); vendoring serves one registry.");
            }
            registry = s;
            Object checksum = p.get("checksum");
            if (!(checksum instanceof String c) || !Syntax.isSha256(c)) {
                throw new VendorException(where + ": crate " + name + " " + version + " has no checksum (64 hex"
                        + " digits); without it the crate cannot be checked. Regenerate the lock file with cargo.");
            }
            Crate crate = new Crate(name, version, c);
            Crate other = crates.putIfAbsent(crate.id(), crate);
            if (other != null && !other.equals(crate)) {
                throw new VendorException(where + ": crate " + name + " " + version + " is listed twice with"
                        + " different checksums.");
            }
        }
        return new ArrayList<>(crates.values());
    }
}
