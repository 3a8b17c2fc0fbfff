package dev.twoliter.engine.rpm;

import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Tars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outputs every rpm module has for one arch, however its RPMs came to be (built from a spec or
 * taken prebuilt): the RPMs, the sources list beside them, and the reproducible tar of both that
 * dependants read. One place, so that kits and variants see the two kinds of module alike.
 *
 * @param archive the module's artifact for the arch
 * @param sources the sources list, written beside the archive
 */
public record ModuleArchive(Path archive, Path sources, Instant mtime) {
    /** Writes the sources list and the archive (temp file, then rename: no half-written artifact). */
    public RpmBuildResult write(List<Path> rpms, List<RpmArchive.Source> sourceList) throws IOException {
        Files.createDirectories(sources.getParent());
        AtomicFiles.writeString(sources, RpmArchive.sourcesText(sourceList));
        Map<String, Path> entries = new TreeMap<>();
        rpms.forEach(rpm -> entries.put(rpm.getFileName().toString(), rpm));
        entries.put(RpmArchive.SOURCES_ENTRY, sources);
        Tars.writeInPlace(entries, mtime, archive);
        return new RpmBuildResult(rpms, archive, sources, false);
    }

    /** What an earlier build recorded, for an up-to-date module. */
    public RpmBuildResult fromRecord(BuildRecord record) {
        List<Path> rpms = record.outputs().entries().keySet().stream().filter(k -> k.endsWith(".rpm")).sorted()
                .map(record::output).toList();
        return new RpmBuildResult(rpms, archive, sources, true);
    }

    /** The outputs' digests for the build record: every RPM, the archive and the sources list. */
    public static Fingerprint outputs(RpmBuildResult result, BuildRecord record) throws IOException {
        Fingerprint outputs = new Fingerprint();
        List<Path> files = new ArrayList<>(result.rpms());
        files.add(result.archive().toAbsolutePath());
        files.add(result.sources().toAbsolutePath());
        for (Path file : files) {
            outputs.putFile(record.key("", file), file);
        }
        return outputs;
    }
}
