package dev.twoliter.engine.image;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.artifact.RpmArchive;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The variant's local packages (its rpm modules' archives), unpacked for the install step: the
 * RPMs of the image's arch and noarch ones.
 *
 * @param rpms each RPM by file name, as the install step gets them
 * @param origins each RPM (by file name) with its module and sources, for the SBOM
 */
record LocalPackages(Map<String, Path> rpms, Map<String, SbomStep.LocalRpm> origins) {

    /** Unpacks each of the request's local package archives into its own directory below {@code dir}. */
    static LocalPackages stage(VariantBuildRequest request, Path dir) throws TwoliterException, java.io.IOException {
        Map<String, Path> rpms = new TreeMap<>();
        Map<String, SbomStep.LocalRpm> origins = new TreeMap<>();
        for (Map.Entry<String, Path> pkg : new TreeMap<>(request.localPackages()).entrySet()) {
            // A multi-arch module's archive carries every arch's RPMs; this image takes its own.
            RpmArchive.Contents contents = RpmArchive.unpackFor(pkg.getValue(),
                    dir.resolve(pkg.getKey().replace(':', '_')), request.module(), request.arch().rpmName());
            for (Path rpm : contents.rpms()) {
                rpms.put(rpm.getFileName().toString(), rpm);
                origins.put(rpm.getFileName().toString(), new SbomStep.LocalRpm(pkg.getKey(), rpm,
                        RpmArchive.sourcesOf(dev.twoliter.engine.io.Digests.sha512(rpm), contents.sources())));
            }
        }
        return new LocalPackages(rpms, origins);
    }
}
