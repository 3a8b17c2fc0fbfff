package dev.twoliter.engine.vendor;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.TomlText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The list of dependencies a vendor archive carries ({@value #ENTRY} at its root), so that a build
 * from a pinned archive, with no registry reachable, still knows what it ships for the SBOM. The
 * archive's SHA-512 is pinned, so what this file says is as trustworthy as the archive.
 */
public final class VendorManifest {
    public static final String ENTRY = "twoliter-vendor.toml";
    static final int MAX_DEPENDENCIES = 20_000;

    private VendorManifest() {}

    public static String text(VendorKind kind, List<VendoredDependency> dependencies) {
        StringBuilder t = new StringBuilder("# The dependencies vendored by twoliter-maven-plugin into this archive.\n");
        t.append("format-version = 1\n").append(TomlText.entry("kind", kind.id()));
        List<VendoredDependency> sorted = new ArrayList<>(dependencies);
        sorted.sort(Comparator.comparing(VendoredDependency::name).thenComparing(VendoredDependency::version));
        for (VendoredDependency d : sorted) {
            t.append("\n[[dependency]]\n").append(TomlText.entry("name", d.name()))
                    .append(TomlText.entry("version", d.version())).append(TomlText.entry("checksum", d.checksum()))
                    .append(TomlText.entry("sha512", d.sha512()));
        }
        return t.toString();
    }

    /** Reads a manifest back; {@code where} names the archive in messages. */
    public static List<VendoredDependency> parse(String text, String where) throws VendorException {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            throw bad(where, "cannot be read: " + toml.errors().get(0));
        }
        if (!Long.valueOf(1).equals(toml.get("format-version"))) {
            throw bad(where, "has an unknown format-version " + Syntax.show(String.valueOf(toml.get("format-version"))));
        }
        VendorKind kind = toml.get("kind") instanceof String k ? VendorKind.of(k).orElse(null) : null;
        if (kind == null) {
            throw bad(where, "names no known kind (go or cargo)");
        }
        TomlArray array = toml.getArray("dependency");
        List<VendoredDependency> dependencies = new ArrayList<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            if (i >= MAX_DEPENDENCIES || !(array.get(i) instanceof TomlTable t)) {
                throw bad(where, "has more than " + MAX_DEPENDENCIES + " dependencies or a malformed entry " + (i + 1));
            }
            String name = t.get("name") instanceof String s ? s : null;
            String version = t.get("version") instanceof String s ? s : null;
            String checksum = t.get("checksum") instanceof String s ? s : null;
            String sha512 = t.get("sha512") instanceof String s ? s : null;
            boolean valid = kind == VendorKind.GO
                    ? GoModule.isPath(name) && GoModule.isVersion(version) && checksum != null && GoSum.isH1(checksum)
                    : CargoLock.isName(name) && CargoLock.isVersion(version) && Syntax.isSha256(checksum);
            if (!valid || !Syntax.isSha512(sha512)) {
                throw bad(where, "has an invalid entry " + (i + 1));
            }
            dependencies.add(new VendoredDependency(kind, name, version, checksum, sha512));
        }
        return dependencies;
    }

    private static VendorException bad(String where, String what) {
        return new VendorException("The dependency list " + ENTRY + " in vendor archive " + where + " " + what + ".");
    }
}
