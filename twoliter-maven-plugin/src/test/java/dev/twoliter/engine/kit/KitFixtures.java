package dev.twoliter.engine.kit;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Kits made on disk for tests: manifests, payload archives (well-formed or hostile), a source, a log. */
final class KitFixtures {
    static final String SDK_ID = "sha256:" + "5d".repeat(32);

    private KitFixtures() {}

    static KitCoordinates kit(String spec) {
        String[] p = spec.split(":");
        return new KitCoordinates(p[0], p[1], p[2]);
    }

    /** A valid-looking sha256 made from a seed, for manifests whose payloads are never unpacked. */
    static String sha(String seed) {
        return Digests.sha256(seed);
    }

    static KitManifest manifest(KitCoordinates c, String payloadSha, List<KitManifest.Rpm> rpms, KitCoordinates... deps) {
        long size = Math.max(1, rpms.stream().mapToLong(KitManifest.Rpm::size).sum());
        return manifest(c, payloadSha, size, rpms, deps);
    }

    static KitManifest manifest(KitCoordinates c, String payloadSha, long payloadSize, List<KitManifest.Rpm> rpms,
            KitCoordinates... deps) {
        return new KitManifest(KitManifest.FORMAT_VERSION, c, new KitManifest.Sdk("twoliter-sdk:0.1.0", SDK_ID,
                "twoliter-sdk", "0.1.0"), List.of(deps), Map.of("x86_64", new KitManifest.Payload(payloadSha,
                        payloadSize, rpms)));
    }

    /** A manifest that describes exactly this payload file. */
    static KitManifest manifestFor(KitCoordinates c, Path payload, List<KitManifest.Rpm> rpms) throws IOException {
        return manifest(c, Digests.sha256(payload), Files.size(payload), rpms);
    }

    /** The content {@link #tar} writes for a file entry. */
    static byte[] content(String name) {
        return ("content of " + name).getBytes(StandardCharsets.UTF_8);
    }

    /** An RPM whose size and digest match what {@link #tar} writes for its path. */
    static KitManifest.Rpm rpm(String path) {
        byte[] content = content(path);
        return new KitManifest.Rpm("pkg", 0, "1.0", "1", "x86_64", path, content.length, Digests.sha256(new String(
                content, StandardCharsets.UTF_8)));
    }

    /** Writes a tar with the given entries: name to content, "dir/" for directories, "name->target" for symlinks. */
    static Path tar(Path file, List<String> entries) throws IOException {
        return tar(file, tar -> {
            for (String e : entries) {
                if (e.contains("->")) {
                    TarArchiveEntry entry = new TarArchiveEntry(e.substring(0, e.indexOf("->")), TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(e.substring(e.indexOf("->") + 2));
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                } else if (e.endsWith("/")) {
                    tar.putArchiveEntry(new TarArchiveEntry(e));
                    tar.closeArchiveEntry();
                } else {
                    file(tar, e, content(e));
                }
            }
        });
    }

    interface TarWriter {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /** Writes whatever {@code writer} puts into a tar (PAX long names, big-number sizes allowed). */
    static Path tar(Path file, TarWriter writer) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            writer.write(tar);
        }
        return file;
    }

    static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** An entry of a given tar type without content: a device, FIFO or (with a target) hard link. */
    static void special(TarArchiveOutputStream tar, String name, byte type, String linkTarget) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        if (linkTarget != null) {
            entry.setLinkName(linkTarget);
        }
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /**
     * A raw PAX extended header ('x') for the next entry; commons-compress would interpret sparse
     * keys given to addPaxHeader itself instead of writing them.
     */
    static void paxHeader(TarArchiveOutputStream tar, Map<String, String> records) throws IOException {
        StringBuilder text = new StringBuilder();
        records.forEach((k, v) -> {
            String body = " " + k + "=" + v + "\n";
            int length = body.length() + 1;
            while (String.valueOf(length).length() + body.length() != length) {
                length++;
            }
            text.append(length).append(body);
        });
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry header = new TarArchiveEntry("PaxHeaders/next", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
        header.setSize(bytes.length);
        tar.putArchiveEntry(header);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** A GNU sparse (PAX 0.1) file that stores one byte and expands to {@code realSize} bytes. */
    static void paxSparseBomb(TarArchiveOutputStream tar, String name, long realSize) throws IOException {
        Map<String, String> records = new java.util.LinkedHashMap<>();
        records.put("GNU.sparse.size", Long.toString(realSize));
        records.put("GNU.sparse.numblocks", "1");
        records.put("GNU.sparse.map", (realSize - 1) + ",1");
        paxHeader(tar, records);
        file(tar, name, new byte[] {'x'});
    }

    /** A header declaring {@code declared} bytes, followed by only a few and the end of the archive. */
    static Path truncatedHugeEntry(Path file, List<String> before, String name, long declared) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
        for (String dir : before) {
            tar.putArchiveEntry(new TarArchiveEntry(dir));
            tar.closeArchiveEntry();
        }
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(declared);
        tar.putArchiveEntry(entry);
        tar.write(new byte[100]);
        tar.flush(); // never closed: the entry is incomplete, as a hostile archive's would be
        Files.write(file, bytes.toByteArray());
        return file;
    }

    /** Total bytes of regular files below a directory (0 if it does not exist). */
    static long bytesBelow(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            long total = 0;
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    /** A log that keeps what it is told. */
    static final class RecordingLog implements BuildLog {
        final List<String> infos = Collections.synchronizedList(new ArrayList<>());
        final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void info(String message) {
            infos.add(message);
        }

        @Override
        public void warn(String message) {
            warnings.add(message);
        }

        @Override
        public void debug(String message) {}
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
        public Path payload(KitCoordinates kit, String arch, long size) {
            return payloads.get(kit + "-" + arch);
        }

        @Override
        public void discardPayload(KitCoordinates kit, String arch) {
            discarded.add(kit + "-" + arch);
        }
    }
}
