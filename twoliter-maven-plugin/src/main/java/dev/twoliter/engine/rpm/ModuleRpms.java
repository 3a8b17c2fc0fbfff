package dev.twoliter.engine.rpm;

import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Tars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What an rpm module hands on after building each of its arches: one artifact, a reproducible tar
 * of the RPMs of every arch built (a noarch RPM once, from the first arch), and a directory that
 * holds the same RPMs for people and scripts to look at. Dependants pick the RPMs of their arch
 * from the artifact by file name.
 */
public final class ModuleRpms {
    private static final String STAMP = "artifact.stamp";

    private ModuleRpms() {}

    /**
     * Writes the artifact and fills {@code rpmDir}; the artifact is rewritten only when one of the
     * arches' archives changed since it was written, so a build with nothing to do writes nothing.
     *
     * @param results each arch's result, in arch order
     * @param stateDir where the note of what the artifact was made from is kept
     */
    public static List<Path> publish(List<RpmBuildResult> results, Path artifact, Path rpmDir, Path stateDir,
            Instant mtime) throws IOException {
        Map<String, Path> rpms = new LinkedHashMap<>();
        for (RpmBuildResult result : results) {
            result.rpms().forEach(rpm -> rpms.putIfAbsent(rpm.getFileName().toString(), rpm));
        }
        fillDirectory(rpmDir, rpms);
        String stamp = stamp(results, artifact, mtime);
        Path stampFile = stateDir.resolve(STAMP);
        if (!stamp.equals(readStamp(stampFile)) || !Files.isRegularFile(artifact)) {
            writeArchive(results, rpms, artifact, mtime);
            Files.createDirectories(stateDir);
            AtomicFiles.writeString(stampFile, stamp(results, artifact, mtime));
        }
        return rpms.keySet().stream().map(rpmDir::resolve).toList();
    }

    private static void fillDirectory(Path rpmDir, Map<String, Path> rpms) throws IOException {
        Files.createDirectories(rpmDir);
        try (Stream<Path> old = Files.list(rpmDir)) {
            for (Path file : old.filter(p -> p.getFileName().toString().endsWith(".rpm")).toList()) {
                Files.delete(file);
            }
        }
        for (Map.Entry<String, Path> rpm : rpms.entrySet()) {
            Path link = rpmDir.resolve(rpm.getKey());
            try {
                Files.createLink(link, rpm.getValue());
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(rpm.getValue(), link);
            }
        }
    }

    private static void writeArchive(List<RpmBuildResult> results, Map<String, Path> rpms, Path artifact,
            Instant mtime) throws IOException {
        Map<String, Path> entries = new TreeMap<>(rpms);
        // Every arch is built from the same sources; the first arch's list stands for all.
        Path sources = results.isEmpty() ? null : results.get(0).sources();
        Path empty = null;
        if (sources == null || !Files.isRegularFile(sources)) {
            empty = Files.createTempFile(artifact.getParent(), ".sources", ".toml");
            Files.writeString(empty, RpmArchive.sourcesText(List.of()), StandardCharsets.UTF_8);
            sources = empty;
        }
        entries.put(RpmArchive.SOURCES_ENTRY, sources);
        try {
            Tars.writeInPlace(entries, mtime, artifact);
        } finally {
            if (empty != null) {
                Files.deleteIfExists(empty);
            }
        }
    }

    /** The per-arch archives (path, size, time) and the artifact the note describes. */
    private static String stamp(List<RpmBuildResult> results, Path artifact, Instant mtime) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("mtime " + mtime.getEpochSecond());
        for (RpmBuildResult result : results) {
            lines.add(describe(result.archive()));
        }
        lines.add(describe(artifact));
        return String.join("\n", lines) + "\n";
    }

    private static String describe(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return file + " absent";
        }
        return file + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
    }

    private static String readStamp(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
