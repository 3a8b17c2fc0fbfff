package dev.twoliter.engine.kit;

import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.TomlText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The kit's main artifact: small, arch-independent, and the root of trust for the per-arch
 * payloads it lists by digest (as an OCI index lists its per-platform images).
 */
public record KitManifest(int formatVersion, KitCoordinates coordinates, Sdk sdk, List<KitCoordinates> kitDependencies,
        Map<String, Payload> payloads) {

    public static final int FORMAT_VERSION = 1;

    /** The SDK image a kit was built with. */
    public record Sdk(String image, String id, String name, String version) {}

    /** One arch's payload: the repository archive and the RPMs in it. */
    public record Payload(String sha256, long size, List<Rpm> rpms) {}

    /** An RPM of a payload, with its path inside the repository. */
    public record Rpm(String name, long epoch, String version, String release, String arch, String path,
            String sha256) {
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
        for (Map.Entry<String, Payload> e : new TreeMap<>(payloads).entrySet()) {
            t.append("\n[payload.").append(e.getKey()).append("]\n");
            t.append(TomlText.entry("sha256", e.getValue().sha256()));
            t.append(TomlText.entry("size", e.getValue().size()));
            for (Rpm rpm : e.getValue().rpms()) {
                t.append("\n[[payload.").append(e.getKey()).append(".rpm]]\n");
                t.append(TomlText.entry("name", rpm.name())).append(TomlText.entry("epoch", rpm.epoch()));
                t.append(TomlText.entry("version", rpm.version())).append(TomlText.entry("release", rpm.release()));
                t.append(TomlText.entry("arch", rpm.arch())).append(TomlText.entry("path", rpm.path()));
                t.append(TomlText.entry("sha256", rpm.sha256()));
            }
        }
        return t.toString();
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toToml());
    }

    /** Reads and validates a manifest; {@code origin} names it in errors (coordinates or path). */
    public static KitManifest read(Path file, String origin) throws KitException, IOException {
        TomlParseResult toml = Toml.parse(file);
        if (toml.hasErrors()) {
            throw new KitException("kit manifest " + origin + " (" + file + ") is not valid TOML: " + toml.errors().get(0));
        }
        Reader r = new Reader(toml, origin, file);
        long format = r.number(toml, "format-version");
        if (format != FORMAT_VERSION) {
            throw new KitException("kit manifest " + origin + " has format-version " + format + "; this plugin reads "
                    + FORMAT_VERSION + ". Use a twoliter-maven-plugin version that matches the kit's.");
        }
        KitCoordinates coordinates = new KitCoordinates(r.text(toml, "vendor"), r.text(toml, "name"),
                r.text(toml, "version"));
        TomlTable sdkTable = r.table(toml, "sdk");
        Sdk sdk = new Sdk(r.text(sdkTable, "image"), r.text(sdkTable, "id"), r.text(sdkTable, "name"),
                r.text(sdkTable, "version"));
        List<KitCoordinates> dependencies = new ArrayList<>();
        TomlArray deps = toml.getArray("kit-dependency");
        for (int i = 0; deps != null && i < deps.size(); i++) {
            TomlTable d = deps.getTable(i);
            dependencies.add(new KitCoordinates(r.text(d, "group-id"), r.text(d, "artifact-id"), r.text(d, "version")));
        }
        Map<String, Payload> payloads = new TreeMap<>();
        TomlTable payloadTable = r.table(toml, "payload");
        for (String arch : payloadTable.keySet()) {
            TomlTable p = payloadTable.getTable(arch);
            List<Rpm> rpms = new ArrayList<>();
            TomlArray list = p.getArray("rpm");
            for (int i = 0; list != null && i < list.size(); i++) {
                TomlTable rpm = list.getTable(i);
                rpms.add(new Rpm(r.text(rpm, "name"), r.number(rpm, "epoch"), r.text(rpm, "version"),
                        r.text(rpm, "release"), r.text(rpm, "arch"), r.text(rpm, "path"), r.text(rpm, "sha256")));
            }
            payloads.put(arch, new Payload(r.text(p, "sha256"), r.number(p, "size"), List.copyOf(rpms)));
        }
        List<String> arches = new ArrayList<>();
        TomlArray archArray = toml.getArray("arches");
        for (int i = 0; archArray != null && i < archArray.size(); i++) {
            arches.add(archArray.getString(i));
        }
        if (!arches.stream().sorted().toList().equals(List.copyOf(payloads.keySet()))) {
            throw new KitException("kit manifest " + origin + " lists arches " + arches + " but has payloads for "
                    + payloads.keySet() + ".");
        }
        return new KitManifest((int) format, coordinates, sdk, List.copyOf(dependencies), Map.copyOf(payloads));
    }

    /** Reads required values, naming the manifest and key when one is missing. */
    private record Reader(TomlParseResult toml, String origin, Path file) {
        String text(TomlTable table, String key) throws KitException {
            Object value = table.get(key);
            if (!(value instanceof String s) || s.isEmpty()) {
                throw missing(key, "a string");
            }
            return s;
        }

        long number(TomlTable table, String key) throws KitException {
            Object value = table.get(key);
            if (!(value instanceof Long l)) {
                throw missing(key, "an integer");
            }
            return l;
        }

        TomlTable table(TomlTable table, String key) throws KitException {
            Object value = table.get(key);
            if (!(value instanceof TomlTable t)) {
                throw missing(key, "a table");
            }
            return t;
        }

        private KitException missing(String key, String what) {
            return new KitException("kit manifest " + origin + " (" + file + ") lacks '" + key + "' as " + what + ".");
        }
    }
}
