package dev.twoliter.engine.kit;

import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.TomlText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * {@code twoliter.lock}: every kit of the project's graph that comes from a repository, with the
 * digests it had when the lock was written. Builds check against it locally, so a kit that
 * changed on the server (same coordinates, other bytes) is caught without asking any server.
 */
public record LockFile(Map<String, Entry> kits) {
    public static final String FILE_NAME = "twoliter.lock";
    static final int FORMAT_VERSION = 1;

    /** One locked kit. */
    public record Entry(KitCoordinates coordinates, String manifestSha256, Map<String, String> payloadSha256) {}

    public static LockFile of(Collection<ResolvedKit> kits) {
        Map<String, Entry> entries = new TreeMap<>();
        for (ResolvedKit kit : kits) {
            Map<String, String> payloads = new TreeMap<>();
            kit.manifest().payloads().forEach((arch, payload) -> payloads.put(arch, payload.sha256()));
            entries.put(kit.coordinates().key(), new Entry(kit.coordinates(), kit.manifestSha256(), Map.copyOf(payloads)));
        }
        return new LockFile(Map.copyOf(entries));
    }

    public void write(Path file) throws IOException {
        StringBuilder t = new StringBuilder("# Written by `mvn twoliter:update`; checked by every build. Do not edit.\n");
        t.append(TomlText.entry("format-version", FORMAT_VERSION));
        for (Entry e : new TreeMap<>(kits).values()) {
            t.append("\n[[kit]]\n");
            t.append(TomlText.entry("group-id", e.coordinates().groupId()));
            t.append(TomlText.entry("artifact-id", e.coordinates().artifactId()));
            t.append(TomlText.entry("version", e.coordinates().version()));
            t.append(TomlText.entry("manifest-sha256", e.manifestSha256()));
            t.append("payload-sha256 = { ");
            t.append(String.join(", ", new TreeMap<>(e.payloadSha256()).entrySet().stream()
                    .map(p -> p.getKey() + " = " + TomlText.string(p.getValue())).toList()));
            t.append(" }\n");
        }
        AtomicFiles.writeString(file, t.toString());
    }

    public static LockFile read(Path file) throws KitException, IOException {
        TomlParseResult toml = Toml.parse(file);
        if (toml.hasErrors()) {
            throw new KitException(file + " is not valid TOML: " + toml.errors().get(0)
                    + ". Regenerate it with `mvn twoliter:update`.");
        }
        Long format = toml.getLong("format-version");
        if (format == null || format != FORMAT_VERSION) {
            throw new KitException(file + " has format-version " + format + "; this plugin reads " + FORMAT_VERSION
                    + ". Regenerate it with `mvn twoliter:update`.");
        }
        Map<String, Entry> entries = new TreeMap<>();
        TomlArray kits = toml.getArray("kit");
        for (int i = 0; kits != null && i < kits.size(); i++) {
            TomlTable k = kits.getTable(i);
            String group = k.getString("group-id");
            String artifact = k.getString("artifact-id");
            String version = k.getString("version");
            String manifest = k.getString("manifest-sha256");
            TomlTable payloads = k.getTable("payload-sha256");
            if (group == null || artifact == null || version == null || manifest == null || payloads == null) {
                throw new KitException(file + ": kit entry " + (i + 1) + " lacks group-id, artifact-id, version,"
                        + " manifest-sha256 or payload-sha256. Regenerate it with `mvn twoliter:update`.");
            }
            Map<String, String> payloadDigests = new TreeMap<>();
            for (String arch : payloads.keySet()) {
                payloadDigests.put(arch, payloads.getString(arch));
            }
            KitCoordinates c = new KitCoordinates(group, artifact, version);
            entries.put(c.key(), new Entry(c, manifest, Map.copyOf(payloadDigests)));
        }
        return new LockFile(Map.copyOf(entries));
    }

    /** Checks the kits a build is about to use against the lock. */
    public void verify(List<ResolvedKit> used, String arch, Path file) throws KitException {
        for (ResolvedKit kit : used) {
            Entry locked = kits.get(kit.coordinates().key());
            if (locked == null) {
                throw new KitException("kit " + kit.coordinates() + " (via " + String.join(" -> ", kit.path())
                        + ") is not in " + file + ". Run `mvn twoliter:update` to lock it.");
            }
            if (!locked.coordinates().version().equals(kit.coordinates().version())) {
                throw changed(kit, "version " + locked.coordinates().version(), "version " + kit.coordinates().version());
            }
            if (!locked.manifestSha256().equals(kit.manifestSha256())) {
                throw changed(kit, "manifest sha256 " + locked.manifestSha256(), "manifest sha256 " + kit.manifestSha256());
            }
            KitManifest.Payload payload = kit.manifest().payloads().get(arch);
            if (payload == null) {
                continue; // the kit has no payload for this arch: resolving it says so plainly
            }
            String lockedPayload = locked.payloadSha256().get(arch);
            if (lockedPayload == null) {
                throw new KitException("kit " + kit.coordinates() + " is locked in " + file + " without its " + arch
                        + " payload. Run `mvn twoliter:update` to lock it.");
            }
            if (!lockedPayload.equals(payload.sha256())) {
                throw changed(kit, arch + " payload sha256 " + lockedPayload, arch + " payload sha256 " + payload.sha256());
            }
        }
    }

    private static KitException changed(ResolvedKit kit, String expected, String found) {
        return new KitException("kit " + kit.coordinates().key() + " changed since " + FILE_NAME + ": expected "
                + expected + ", found " + found + ". If the change is intended, run `mvn twoliter:update`.");
    }
}
