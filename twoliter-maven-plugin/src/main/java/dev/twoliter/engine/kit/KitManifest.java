package dev.twoliter.engine.kit;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.closure.DependencySyntaxException;
import dev.twoliter.engine.closure.ExceptedRequirement;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.TomlText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The kit's main artifact: small, arch-independent, and the root of trust for the per-arch
 * payloads it lists by digest (as an OCI index lists its per-platform images).
 *
 * <p>Manifests come from vendors a consumer only partly trusts, and their values end up as cache
 * directory names, paths inside payloads and bounds for unpacking; {@link #read} therefore checks
 * every value before anything uses it.
 */
public record KitManifest(int formatVersion, KitCoordinates coordinates, Sdk sdk, List<KitCoordinates> kitDependencies,
        Map<String, Payload> payloads, Optional<Closure> closure) {

    public KitManifest(int formatVersion, KitCoordinates coordinates, Sdk sdk, List<KitCoordinates> kitDependencies,
            Map<String, Payload> payloads) {
        this(formatVersion, coordinates, sdk, kitDependencies, payloads, Optional.empty());
    }

    /** Format 2 added the size of each RPM, which bounds what unpacking a payload may write. */
    public static final int FORMAT_VERSION = 2;
    /** Real manifests are kilobytes; the bound keeps a hostile one from exhausting memory while parsing. */
    public static final long MAX_FILE_BYTES = 64L << 20;
    public static final long MAX_PAYLOAD_BYTES = 1L << 40;
    /** RPMs per payload; a large distribution has a few thousand. */
    public static final int MAX_RPMS = 100_000;
    /** Sources per RPM, and the length of a license, source file name or URL. */
    static final int MAX_SOURCES = 10_000;
    static final int MAX_SBOM_TEXT = 4096;
    static final int MAX_TEXT_LENGTH = 255;

    /** Exceptions a kit may declare; real kits have a handful. */
    public static final int MAX_EXCEPTIONS = 1_000;

    /**
     * What the kit's closure check assumed, for consumers to see: the kits the variant is expected
     * to bring (the declared base, not dependencies of the kit) and the requirements the vendor
     * left unmet on purpose. Absent in kits built without the check.
     */
    public record Closure(List<KitCoordinates> base, List<ExceptedRequirement> exceptions) {
        public Closure {
            base = List.copyOf(base);
            exceptions = List.copyOf(exceptions);
        }
    }

    /** The SDK image a kit was built with. */
    public record Sdk(String image, String id, String name, String version) {}

    /** One arch's payload: the repository archive and the RPMs in it. */
    public record Payload(String sha256, long size, List<Rpm> rpms) {}

    /**
     * An RPM of a payload, with its path inside the repository, its size in bytes and its digest; the
     * License tag of its header and the sources it was built from, for SBOMs (both empty in kits
     * built before they were recorded).
     */
    public record Rpm(String name, long epoch, String version, String release, String arch, String path, long size,
            String sha256, String license, List<RpmArchive.Source> sources) {
        public Rpm(String name, long epoch, String version, String release, String arch, String path, long size,
                String sha256) {
            this(name, epoch, version, release, arch, path, size, sha256, "", List.of());
        }

        public String nevra() {
            return name + "-" + (epoch == 0 ? "" : epoch + ":") + version + "-" + release + "." + arch;
        }
    }

    public List<String> arches() {
        return List.copyOf(new TreeMap<>(payloads).keySet());
    }

    public Payload payload(String arch) throws KitException {
        Payload payload = payloads.get(arch);
        if (payload == null) {
            throw new KitException("kit " + coordinates + " has no payload for arch " + arch + " (it has: "
                    + String.join(", ", arches()) + ").");
        }
        return payload;
    }

    public String toToml() {
        StringBuilder t = new StringBuilder("# twoliter kit manifest\n");
        t.append(TomlText.entry("format-version", formatVersion));
        t.append(TomlText.entry("name", coordinates.artifactId()));
        t.append(TomlText.entry("vendor", coordinates.groupId()));
        t.append(TomlText.entry("version", coordinates.version()));
        t.append("arches = ").append(TomlText.strings(arches())).append('\n');
        t.append("\n[sdk]\n");
        t.append(TomlText.entry("image", sdk.image())).append(TomlText.entry("id", sdk.id()));
        t.append(TomlText.entry("name", sdk.name())).append(TomlText.entry("version", sdk.version()));
        for (KitCoordinates dependency : kitDependencies.stream().sorted().toList()) {
            t.append("\n[[kit-dependency]]\n");
            t.append(TomlText.entry("group-id", dependency.groupId()));
            t.append(TomlText.entry("artifact-id", dependency.artifactId()));
            t.append(TomlText.entry("version", dependency.version()));
        }
        closure.ifPresent(c -> appendClosure(t, c));
        for (Map.Entry<String, Payload> e : new TreeMap<>(payloads).entrySet()) {
            t.append("\n[payload.").append(e.getKey()).append("]\n");
            t.append(TomlText.entry("sha256", e.getValue().sha256()));
            t.append(TomlText.entry("size", e.getValue().size()));
            for (Rpm rpm : e.getValue().rpms()) {
                t.append("\n[[payload.").append(e.getKey()).append(".rpm]]\n");
                t.append(TomlText.entry("name", rpm.name())).append(TomlText.entry("epoch", rpm.epoch()));
                t.append(TomlText.entry("version", rpm.version())).append(TomlText.entry("release", rpm.release()));
                t.append(TomlText.entry("arch", rpm.arch())).append(TomlText.entry("path", rpm.path()));
                t.append(TomlText.entry("size", rpm.size()));
                t.append(TomlText.entry("sha256", rpm.sha256()));
                if (!rpm.license().isEmpty()) {
                    t.append(TomlText.entry("license", rpm.license()));
                }
                for (RpmArchive.Source source : rpm.sources()) {
                    t.append("\n[[payload.").append(e.getKey()).append(".rpm.source]]\n");
                    t.append(TomlText.entry("file", source.file())).append(TomlText.entry("sha512", source.sha512()));
                    source.url().ifPresent(u -> t.append(TomlText.entry("url", u)));
                    source.purl().ifPresent(p -> t.append(TomlText.entry("purl", p)));
                }
            }
        }
        return t.toString();
    }

    private static void appendClosure(StringBuilder t, Closure closure) {
        t.append("\n[closure]\n");
        t.append("checked = true\n");
        for (KitCoordinates base : closure.base().stream().sorted().toList()) {
            t.append("\n[[closure.base]]\n");
            t.append(TomlText.entry("group-id", base.groupId()));
            t.append(TomlText.entry("artifact-id", base.artifactId()));
            t.append(TomlText.entry("version", base.version()));
        }
        for (ExceptedRequirement exception : closure.exceptions()) {
            t.append("\n[[closure.exception]]\n");
            t.append(TomlText.entry("requirement", exception.text()));
            t.append(TomlText.entry("reason", exception.reason()));
        }
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toToml());
    }

    /** True for {@code Packages/<dir>/<file>.rpm} with plain names: the only place a kit keeps RPMs. */
    static boolean isRpmPath(String path) {
        String[] parts = path.split("/", -1);
        return parts.length == 3 && parts[0].equals("Packages") && Syntax.isPlainFileName(parts[1])
                && Syntax.isPlainFileName(parts[2]) && parts[2].endsWith(".rpm") && parts[2].length() > ".rpm".length();
    }

    /**
     * Reads and validates a manifest; {@code origin} names it in errors (coordinates or path). Every
     * error names the manifest, the key (with its table path) and the offending value.
     */
    public static KitManifest read(Path file, String origin) throws KitException, IOException {
        return readWithDigest(file, origin).manifest();
    }

    /** A manifest and the sha256 of exactly the bytes it was read from. */
    record Read(KitManifest manifest, String sha256) {}

    /**
     * {@link #read}, also returning the digest of the bytes parsed: hashing the file separately
     * could hash other bytes than those read, if the file changed in between.
     */
    static Read readWithDigest(Path file, String origin) throws KitException, IOException {
        return parse(readBytes(file, origin), file, origin);
    }

    /** The manifest file's bytes, within the bound a manifest has. */
    static byte[] readBytes(Path file, String origin) throws KitException, IOException {
        return TomlFields.readBounded(file, where(file, origin), MAX_FILE_BYTES, "");
    }

    private static String where(Path file, String origin) {
        return "kit manifest " + origin + " (" + file + ")";
    }

    /** Parses and validates {@code bytes}, read from {@code file}. */
    static Read parse(byte[] bytes, Path file, String origin) throws KitException {
        TomlFields f = TomlFields.parse(bytes, where(file, origin), "");
        TomlParseResult toml = f.document();
        long format = f.integer(toml, "", "format-version");
        if (format == 1) {
            throw f.error("has format-version 1, which this plugin no longer reads: format-version " + FORMAT_VERSION
                    + " adds the size of every RPM, which bounds what unpacking the kit may write. Rebuild and"
                    + " republish the kit with this version of twoliter-maven-plugin.");
        }
        if (format != FORMAT_VERSION) {
            throw f.error("has format-version " + format + "; this plugin reads " + FORMAT_VERSION
                    + ". Use a twoliter-maven-plugin version that matches the kit's.");
        }
        KitCoordinates coordinates = new KitCoordinates(f.mavenId(toml, "", "vendor"), f.mavenId(toml, "", "name"),
                f.mavenVersion(toml, "", "version"));

        TomlTable sdkTable = f.table(toml, "", "sdk");
        Sdk sdk = new Sdk(f.oneLine(sdkTable, "sdk", "image"), f.imageId(sdkTable, "sdk", "id"),
                f.oneLine(sdkTable, "sdk", "name"), f.oneLine(sdkTable, "sdk", "version"));

        List<KitCoordinates> dependencies = new ArrayList<>();
        List<TomlTable> dependencyTables = f.tables(toml, "", "kit-dependency", Integer.MAX_VALUE);
        for (int i = 0; i < dependencyTables.size(); i++) {
            TomlTable d = dependencyTables.get(i);
            String at = "kit-dependency[" + i + "]";
            dependencies.add(new KitCoordinates(f.mavenId(d, at, "group-id"), f.mavenId(d, at, "artifact-id"),
                    f.mavenVersion(d, at, "version")));
        }

        Map<String, Payload> payloads = new TreeMap<>();
        TomlTable payloadTable = f.table(toml, "", "payload");
        for (String arch : payloadTable.keySet()) {
            if (!Syntax.isArch(arch)) {
                throw f.invalid("payload", "has the arch key " + Syntax.show(arch), "an architecture name ("
                        + "lowercase letters, digits and '_', at most 32)");
            }
            payloads.put(arch, readPayload(f, f.table(payloadTable, "payload", arch), "payload." + arch));
        }

        List<String> arches = new ArrayList<>();
        List<Object> archValues = f.values(toml, "", "arches");
        for (int i = 0; i < archValues.size(); i++) {
            String key = "arches[" + i + "]";
            if (!(archValues.get(i) instanceof String arch)) {
                throw f.at(key, "must be a string, but it is " + TomlFields.typeOf(archValues.get(i)) + ".");
            }
            if (!Syntax.isArch(arch)) {
                throw f.invalid(key, "is " + Syntax.show(arch), "an architecture name (lowercase letters, digits"
                        + " and '_', at most 32)");
            }
            arches.add(arch);
        }
        if (!arches.stream().sorted().toList().equals(List.copyOf(payloads.keySet()))) {
            throw f.error("lists arches " + arches + " but has payloads for " + payloads.keySet() + ".");
        }
        return new Read(new KitManifest((int) format, coordinates, sdk, List.copyOf(dependencies),
                Map.copyOf(payloads), readClosure(f, toml)), f.sha256());
    }

    private static Optional<Closure> readClosure(TomlFields f, TomlParseResult toml) throws KitException {
        if (toml.get("closure") == null) {
            return Optional.empty();
        }
        TomlTable c = f.table(toml, "", "closure");
        List<KitCoordinates> base = new ArrayList<>();
        List<TomlTable> baseTables = f.tables(c, "closure", "base", MAX_EXCEPTIONS);
        for (int i = 0; i < baseTables.size(); i++) {
            TomlTable b = baseTables.get(i);
            String at = "closure.base[" + i + "]";
            base.add(new KitCoordinates(f.mavenId(b, at, "group-id"), f.mavenId(b, at, "artifact-id"),
                    f.mavenVersion(b, at, "version")));
        }
        List<ExceptedRequirement> exceptions = new ArrayList<>();
        List<TomlTable> exceptionTables = f.tables(c, "closure", "exception", MAX_EXCEPTIONS);
        for (int i = 0; i < exceptionTables.size(); i++) {
            TomlTable e = exceptionTables.get(i);
            String at = "closure.exception[" + i + "]";
            try {
                exceptions.add(ExceptedRequirement.of(f.text(e, at, "requirement"), f.text(e, at, "reason")));
            } catch (DependencySyntaxException ex) {
                throw f.at(at, "is refused: " + ex.getMessage());
            }
        }
        return Optional.of(new Closure(base, exceptions));
    }

    private static Payload readPayload(TomlFields f, TomlTable p, String at) throws KitException {
        String sha256 = f.sha256(p, at, "sha256");
        long size = f.integer(p, at, "size");
        if (size < 1 || size > MAX_PAYLOAD_BYTES) {
            throw f.invalid(at + ".size", "is " + size, "a size between 1 and " + MAX_PAYLOAD_BYTES + " bytes");
        }
        List<TomlTable> rpmTables = f.tables(p, at, "rpm", MAX_RPMS);
        List<Rpm> rpms = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        long total = 0;
        for (int i = 0; i < rpmTables.size(); i++) {
            TomlTable r = rpmTables.get(i);
            String rpmAt = at + ".rpm[" + i + "]";
            String name = f.text(r, rpmAt, "name");
            if (!Syntax.isRpmName(name)) {
                throw f.invalid(rpmAt + ".name", "is " + Syntax.show(name), "an RPM package name");
            }
            long epoch = f.integer(r, rpmAt, "epoch");
            if (!Syntax.isRpmEpoch(epoch)) {
                throw f.invalid(rpmAt + ".epoch", "is " + epoch, "an RPM epoch (0 to " + Integer.MAX_VALUE + ")");
            }
            String version = f.text(r, rpmAt, "version");
            if (!Syntax.isRpmVersion(version)) {
                throw f.invalid(rpmAt + ".version", "is " + Syntax.show(version), "an RPM version");
            }
            String release = f.text(r, rpmAt, "release");
            if (!Syntax.isRpmVersion(release)) {
                throw f.invalid(rpmAt + ".release", "is " + Syntax.show(release), "an RPM release");
            }
            String arch = f.text(r, rpmAt, "arch");
            if (!Syntax.isRpmArch(arch)) {
                throw f.invalid(rpmAt + ".arch", "is " + Syntax.show(arch), "an RPM architecture");
            }
            String path = f.text(r, rpmAt, "path");
            if (!isRpmPath(path)) {
                throw f.invalid(rpmAt + ".path", "is " + Syntax.show(path),
                        "of the form Packages/<directory>/<file>.rpm with plain names");
            }
            if (!paths.add(path)) {
                throw f.at(rpmAt + ".path", "is " + Syntax.show(path) + ", which an earlier RPM of " + at
                        + " already has; every RPM needs its own path.");
            }
            long rpmSize = f.integer(r, rpmAt, "size");
            if (rpmSize < 1 || rpmSize > size) {
                throw f.invalid(rpmAt + ".size", "is " + rpmSize, "a size between 1 and the payload's size (" + size
                        + " bytes)");
            }
            total += rpmSize;
            if (total > size) {
                throw f.error("lists RPMs in " + at + " that add up to more than the payload's size of " + size
                        + " bytes (at " + rpmAt + ", " + total + " bytes).");
            }
            rpms.add(new Rpm(name, epoch, version, release, arch, path, rpmSize, f.sha256(r, rpmAt, "sha256"),
                    license(f, r, rpmAt), sources(f, r, rpmAt)));
        }
        return new Payload(sha256, size, List.copyOf(rpms));
    }

    /** One line of up to 4096 characters, or absent. */
    private static String license(TomlFields f, TomlTable r, String at) throws KitException {
        if (r.get("license") == null) {
            return "";
        }
        String license = f.text(r, at, "license");
        if (!Syntax.isOneLine(license, MAX_SBOM_TEXT)) {
            throw f.invalid(at + ".license", "is " + Syntax.show(license), "one line of at most " + MAX_SBOM_TEXT
                    + " characters");
        }
        return license;
    }

    private static List<RpmArchive.Source> sources(TomlFields f, TomlTable r, String at) throws KitException {
        List<RpmArchive.Source> sources = new ArrayList<>();
        List<TomlTable> tables = f.tables(r, at, "source", MAX_SOURCES);
        for (int i = 0; i < tables.size(); i++) {
            TomlTable t = tables.get(i);
            String sourceAt = at + ".source[" + i + "]";
            String file = f.text(t, sourceAt, "file");
            if (!Syntax.isOneLine(file, MAX_SBOM_TEXT) || file.isBlank()) {
                throw f.invalid(sourceAt + ".file", "is " + Syntax.show(file), "a file name of one line");
            }
            String sha512 = f.text(t, sourceAt, "sha512");
            if (!Syntax.isSha512(sha512)) {
                throw f.invalid(sourceAt + ".sha512", "is " + Syntax.show(sha512), "128 lowercase hex digits");
            }
            Optional<String> url = Optional.empty();
            if (t.get("url") != null) {
                String u = f.text(t, sourceAt, "url");
                if (!Syntax.isOneLine(u, MAX_SBOM_TEXT)) {
                    throw f.invalid(sourceAt + ".url", "is " + Syntax.show(u), "a URL of one line");
                }
                url = Optional.of(u);
            }
            Optional<String> purl = Optional.empty();
            if (t.get("purl") != null) {
                String p = f.text(t, sourceAt, "purl");
                if (!Syntax.isOneLine(p, MAX_SBOM_TEXT) || !p.startsWith("pkg:")) {
                    throw f.invalid(sourceAt + ".purl", "is " + Syntax.show(p), "a package URL of one line");
                }
                purl = Optional.of(p);
            }
            sources.add(new RpmArchive.Source(file, sha512, url, purl));
        }
        return List.copyOf(sources);
    }
}
