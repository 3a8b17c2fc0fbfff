package dev.twoliter.engine.kit;

import dev.twoliter.engine.Terms;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.TomlText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * {@code twoliter.lock}: every kit of the project's graph that comes from a repository, with the
 * digests it had when the lock was written. Builds check against it locally, so a kit that
 * changed on the server (same coordinates, other bytes) is caught without asking any server.
 */
public record LockFile(Map<String, Entry> kits, Map<String, PrebuiltPin> prebuilt) {
    public LockFile(Map<String, Entry> kits) {
        this(kits, Map.of());
    }

    /** Prebuilt RPMs a project takes from outside; more is a mistake rather than a use. */
    static final int MAX_PREBUILT = 10_000;
    private static final int MAX_ORIGIN = 4096;

    /**
     * A prebuilt RPM from outside the project (a download or a Maven artifact), by the module that
     * takes it and its origin as messages name it (credentials never included), with its SHA-512.
     */
    public record PrebuiltPin(String module, String origin, String sha512) {
        public String key() {
            return module + " " + origin;
        }
    }

    public static final String FILE_NAME = "twoliter.lock";
    static final int FORMAT_VERSION = 1;
    /** A lock lists kits, a few hundred bytes each; the bound keeps a damaged one from exhausting memory. */
    static final long MAX_FILE_BYTES = 16L << 20;
    static final int MAX_KITS = 10_000;
    private static String regenerate(Terms terms) {
        return " Regenerate it with " + terms.command(Terms.Command.UPDATE_LOCK) + ".";
    }

    /**
     * One locked kit; {@code signer} is the fingerprint of the trusted key whose signature verified
     * when the lock was written (empty: the kit was not verified then).
     */
    public record Entry(KitCoordinates coordinates, String manifestSha256, Map<String, String> payloadSha256,
            Optional<String> signer) {
        public Entry(KitCoordinates coordinates, String manifestSha256, Map<String, String> payloadSha256) {
            this(coordinates, manifestSha256, payloadSha256, Optional.empty());
        }
    }

    public static LockFile of(Collection<ResolvedKit> kits, Collection<PrebuiltPin> pins) {
        Map<String, PrebuiltPin> prebuilt = new TreeMap<>();
        pins.forEach(p -> prebuilt.put(p.key(), p));
        return new LockFile(of(kits).kits(), Map.copyOf(prebuilt));
    }

    public static LockFile of(Collection<ResolvedKit> kits) {
        Map<String, Entry> entries = new TreeMap<>();
        for (ResolvedKit kit : kits) {
            Map<String, String> payloads = new TreeMap<>();
            kit.manifest().payloads().forEach((arch, payload) -> payloads.put(arch, payload.sha256()));
            entries.put(kit.coordinates().key(), new Entry(kit.coordinates(), kit.manifestSha256(), Map.copyOf(payloads),
                    kit.signature().signer()));
        }
        return new LockFile(Map.copyOf(entries));
    }

    public void write(Path file, Terms terms) throws IOException {
        StringBuilder t = new StringBuilder("# Written by " + terms.command(Terms.Command.UPDATE_LOCK)
                + "; checked by every build. Do not edit.\n");
        t.append(TomlText.entry("format-version", FORMAT_VERSION));
        for (Entry e : new TreeMap<>(kits).values()) {
            t.append("\n[[kit]]\n");
            t.append(TomlText.entry("group-id", e.coordinates().groupId()));
            t.append(TomlText.entry("artifact-id", e.coordinates().artifactId()));
            t.append(TomlText.entry("version", e.coordinates().version()));
            t.append(TomlText.entry("manifest-sha256", e.manifestSha256()));
            if (e.signer().isPresent()) {
                t.append(TomlText.entry("signer", e.signer().get()));
            }
            t.append("payload-sha256 = { ");
            t.append(String.join(", ", new TreeMap<>(e.payloadSha256()).entrySet().stream()
                    .map(p -> p.getKey() + " = " + TomlText.string(p.getValue())).toList()));
            t.append(" }\n");
        }
        for (PrebuiltPin pin : new TreeMap<>(prebuilt).values()) {
            t.append("\n[[prebuilt-rpm]]\n");
            t.append(TomlText.entry("module", pin.module()));
            t.append(TomlText.entry("origin", pin.origin()));
            t.append(TomlText.entry("sha512", pin.sha512()));
        }
        AtomicFiles.writeString(file, t.toString());
    }

    /** Reads and validates a lock file; every error names the file, the entry and the key. */
    public static LockFile read(Path file, Terms terms) throws KitException, IOException {
        TomlFields f = TomlFields.read(file, file.toString(), MAX_FILE_BYTES, regenerate(terms));
        TomlParseResult toml = f.document();
        long format = f.integer(toml, "", "format-version");
        if (format != FORMAT_VERSION) {
            throw f.error("has format-version " + format + "; this plugin reads " + FORMAT_VERSION + ".");
        }
        Map<String, Entry> entries = new TreeMap<>();
        List<TomlTable> kits = f.tables(toml, "", "kit", MAX_KITS);
        for (int i = 0; i < kits.size(); i++) {
            TomlTable k = kits.get(i);
            String at = "kit[" + i + "]";
            KitCoordinates c = new KitCoordinates(f.mavenId(k, at, "group-id"), f.mavenId(k, at, "artifact-id"),
                    f.mavenVersion(k, at, "version"));
            String manifest = f.sha256(k, at, "manifest-sha256");
            TomlTable payloads = f.table(k, at, "payload-sha256");
            Map<String, String> payloadDigests = new TreeMap<>();
            for (String arch : payloads.keySet()) {
                if (!Syntax.isArch(arch)) {
                    throw f.invalid(at + ".payload-sha256", "has the arch key " + Syntax.show(arch),
                            "an architecture name (lowercase letters, digits and '_', at most 32)");
                }
                payloadDigests.put(arch, f.sha256(payloads, at + ".payload-sha256", arch));
            }
            Optional<String> signer = f.optionalFingerprint(k, at, "signer");
            if (entries.put(c.key(), new Entry(c, manifest, Map.copyOf(payloadDigests), signer)) != null) {
                throw f.error("locks kit " + c.key() + " twice (again in " + at + ").");
            }
        }
        return new LockFile(Map.copyOf(entries), readPrebuilt(f, toml));
    }

    private static Map<String, PrebuiltPin> readPrebuilt(TomlFields f, TomlParseResult toml) throws KitException {
        Map<String, PrebuiltPin> pins = new TreeMap<>();
        List<TomlTable> tables = f.tables(toml, "", "prebuilt-rpm", MAX_PREBUILT);
        for (int i = 0; i < tables.size(); i++) {
            TomlTable t = tables.get(i);
            String at = "prebuilt-rpm[" + i + "]";
            String module = f.text(t, at, "module");
            String[] parts = module.split(":", -1);
            if (parts.length != 2 || !Syntax.isMavenId(parts[0]) || !Syntax.isMavenId(parts[1])) {
                throw f.invalid(at + ".module", "is " + Syntax.show(module), "a module's groupId:artifactId");
            }
            String origin = f.text(t, at, "origin");
            if (!Syntax.isOneLine(origin, MAX_ORIGIN) || origin.isBlank()) {
                throw f.invalid(at + ".origin", "is " + Syntax.show(origin), "one line of at most " + MAX_ORIGIN
                        + " characters");
            }
            String sha512 = f.text(t, at, "sha512");
            if (!Syntax.isSha512(sha512)) {
                throw f.invalid(at + ".sha512", "is " + Syntax.show(sha512), "128 lowercase hex digits");
            }
            PrebuiltPin pin = new PrebuiltPin(module, origin, sha512);
            if (pins.put(pin.key(), pin) != null) {
                throw f.error("locks the prebuilt RPM " + origin + " of " + module + " twice (again in " + at + ").");
            }
        }
        return Map.copyOf(pins);
    }

    /**
     * Checks a prebuilt RPM from outside the project against its pin: it must be locked, with the
     * same SHA-512, so that an artifact replaced on a server is caught without asking any server.
     */
    public void verifyPrebuilt(PrebuiltPin found, Path file, Terms terms) throws KitException {
        String update = terms.command(Terms.Command.UPDATE_LOCK);
        PrebuiltPin locked = prebuilt.get(found.key());
        if (locked == null) {
            throw new KitException(found.module() + ": the prebuilt RPM " + found.origin() + " is not in " + file
                    + ". Run " + update + " to lock it.");
        }
        if (!locked.sha512().equals(found.sha512())) {
            throw new KitException(found.module() + ": the prebuilt RPM " + found.origin() + " changed since "
                    + FILE_NAME + ": expected sha512 " + locked.sha512() + ", found " + found.sha512() + ". A vendor"
                    + " that republishes a file under the same name must be asked why; if the change is intended, run "
                    + update + ".");
        }
    }

    /** Checks the kits a build is about to use against the lock. */
    public void verify(List<ResolvedKit> used, String arch, Path file, Terms terms) throws KitException {
        String update = terms.command(Terms.Command.UPDATE_LOCK);
        for (ResolvedKit kit : used) {
            Entry locked = kits.get(kit.coordinates().key());
            if (locked == null) {
                throw new KitException("kit " + kit.coordinates() + " (via " + String.join(" -> ", kit.path())
                        + ") is not in " + file + ". Run " + update + " to lock it.");
            }
            if (!locked.coordinates().version().equals(kit.coordinates().version())) {
                throw changed(kit, "version " + locked.coordinates().version(), "version " + kit.coordinates().version(),
                        update);
            }
            if (!locked.manifestSha256().equals(kit.manifestSha256())) {
                throw changed(kit, "manifest sha256 " + locked.manifestSha256(), "manifest sha256 " + kit.manifestSha256(),
                        update);
            }
            if (locked.signer().isPresent() && kit.signature().checked()
                    && !kit.signature().signer().equals(locked.signer())) {
                String now = kit.signature().signer().map(s -> "it is signed by key " + s)
                        .orElse("its signature did not verify");
                throw new KitException("kit " + kit.coordinates() + " was signed by key " + locked.signer().get()
                        + " when " + file + " was written, but now " + now + ". A vendor's change of signing key must"
                        + " be checked with the vendor; if it is intended, trust the new key and run " + update + ".");
            }
            KitManifest.Payload payload = kit.manifest().payloads().get(arch);
            if (payload == null) {
                continue; // the kit has no payload for this arch: resolving it says so plainly
            }
            String lockedPayload = locked.payloadSha256().get(arch);
            if (lockedPayload == null) {
                throw new KitException("kit " + kit.coordinates() + " is locked in " + file + " without its " + arch
                        + " payload. Run " + update + " to lock it.");
            }
            if (!lockedPayload.equals(payload.sha256())) {
                throw changed(kit, arch + " payload sha256 " + lockedPayload, arch + " payload sha256 " + payload.sha256(),
                        update);
            }
        }
    }

    private static KitException changed(ResolvedKit kit, String expected, String found, String update) {
        return new KitException("kit " + kit.coordinates().key() + " changed since " + FILE_NAME + ": expected "
                + expected + ", found " + found + ". If the change is intended, run " + update + ".");
    }
}
