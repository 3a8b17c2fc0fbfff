package dev.twoliter.engine.kit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Kits made on disk for tests: manifests, payload archives (well-formed or hostile), a source. */
final class KitFixtures {
    private KitFixtures() {}

    static KitCoordinates kit(String spec) {
        String[] p = spec.split(":");
        return new KitCoordinates(p[0], p[1], p[2]);
    }

    static KitManifest manifest(KitCoordinates c, String payloadSha, List<KitManifest.Rpm> rpms, KitCoordinates... deps) {
        return new KitManifest(KitManifest.FORMAT_VERSION, c, new KitManifest.Sdk("twoliter-sdk:0.1.0", "sha256:abc",
                "twoliter-sdk", "0.1.0"), List.of(deps), Map.of("x86_64", new KitManifest.Payload(payloadSha, 10, rpms)));
    }

    static KitManifest.Rpm rpm(String path) {
        return new KitManifest.Rpm("pkg", 0, "1.0", "1", "x86_64", path, "00");
    }

    /** Writes a tar with the given entries: name to content, "dir/" for directories, "name->target" for symlinks. */
    static Path tar(Path file, List<String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String e : entries) {
                TarArchiveEntry entry;
                byte[] content = new byte[0];
                if (e.contains("->")) {
                    entry = new TarArchiveEntry(e.substring(0, e.indexOf("->")), TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(e.substring(e.indexOf("->") + 2));
                } else if (e.endsWith("/")) {
                    entry = new TarArchiveEntry(e);
                } else {
                    entry = new TarArchiveEntry(e);
                    content = ("content of " + e).getBytes(StandardCharsets.UTF_8);
                    entry.setSize(content.length);
                }
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    /** A KitSource over manifests written to a directory; records which coordinates were asked for. */
    static final class DirectorySource implements KitSource {
        final Path dir;
        final Map<String, Path> payloads = new HashMap<>();
        final List<String> requested = new ArrayList<>();
        final List<String> discarded = new ArrayList<>();

        DirectorySource(Path dir) {
            this.dir = dir;
        }

        DirectorySource add(KitManifest manifest) throws IOException {
            manifest.write(dir.resolve(manifest.coordinates() + ".kit.toml"));
            return this;
        }

        @Override
        public Path manifest(KitCoordinates kit) throws KitException {
            requested.add(kit.toString());
            Path file = dir.resolve(kit + ".kit.toml");
            if (!Files.exists(file)) {
                throw new KitException("no kit " + kit);
            }
            return file;
        }

        @Override
        public Path payload(KitCoordinates kit, String arch) {
            return payloads.get(kit + "-" + arch);
        }

        @Override
        public void discardPayload(KitCoordinates kit, String arch) {
            discarded.add(kit + "-" + arch);
        }
    }
}
