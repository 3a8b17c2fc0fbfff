package dev.twoliter.engine.image;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.kit.KitManifest;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.sbom.SbomInputException;
import dev.twoliter.engine.sbom.SbomPackage;
import dev.twoliter.engine.sbom.SbomSubject;
import dev.twoliter.engine.sbom.SbomUpdateImage;
import dev.twoliter.engine.sbom.Sboms;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variant's SBOMs (SPDX 2.3 and CycloneDX 1.6) of the packages dnf installed, written with the
 * image's metadata so that the root filesystem step puts them into the image
 * ({@code /usr/share/twoliter/sbom/}) and the build attaches them. Each package's digest, license
 * and sources come from where it came from: a local module's RPM and its archive's sources list, or
 * the (verified) manifest of the kit dnf took it from.
 *
 * <p>The copies published beside the images are rendered again from the same subject and packages,
 * with the release's {@link UpdateImages} added (file, digest, target name, stored path): those
 * cannot be in the image, whose root image's digest would have to cover itself. A variant without
 * update images publishes exactly the bytes in its image.
 */
final class SbomStep {
    /** The documents' base name in the metadata directory and in the image. */
    static final String BASE_NAME = "sbom";
    static final List<String> FILES = List.of(BASE_NAME + Sboms.SPDX_SUFFIX, BASE_NAME + Sboms.CYCLONEDX_SUFFIX);
    static final String TOOL = "twoliter-maven-plugin";

    /** What the documents were rendered from, to render the published ones again. */
    record Contents(SbomSubject subject, List<SbomPackage> packages) {}

    /** An RPM of a local module, with the module and what its archive says it was built from. */
    record LocalRpm(String module, Path file, List<RpmArchive.Source> sources) {}

    private SbomStep() {}

    /** Writes both documents into {@code dir}. */
    static Contents write(VariantBuildRequest request, List<InstallRootStep.InstalledPackage> installed,
            Map<String, LocalRpm> localRpms, Path dir) throws TwoliterException, IOException {
        String[] module = request.module().split(":", 2);
        try {
            SbomSubject subject = new SbomSubject(SbomSubject.Kind.VARIANT, module[0], module[1], request.version(),
                    request.arch().rpmName(), TOOL, request.toolVersion(), request.epoch());
            List<SbomPackage> packages = new ArrayList<>();
            for (InstallRootStep.InstalledPackage p : installed) {
                packages.add(p.repository().equals(InstallRootStep.LOCAL_REPO) ? local(request, p, localRpms)
                        : fromKit(request, p));
            }
            Sboms.write(subject, packages, dir, BASE_NAME);
            return new Contents(subject, List.copyOf(packages));
        } catch (SbomInputException e) {
            throw new TwoliterException(request.module() + ": cannot write the image's SBOM: " + e.getMessage() + ".");
        }
    }

    /**
     * Publishes both documents beside the images (after the disk step, which empties the output
     * directory), listing {@code updateImages}; returns the files written.
     */
    static List<Path> publish(VariantBuildRequest request, Contents contents, List<UpdateImages.Image> updateImages)
            throws TwoliterException, IOException {
        List<SbomUpdateImage> images = new ArrayList<>();
        for (UpdateImages.Image image : updateImages) {
            images.add(new SbomUpdateImage(image.image(), image.fileName(), image.sha256(), image.target(),
                    image.storedAs()));
        }
        try {
            byte[] spdx = Sboms.spdxJson(contents.subject(), contents.packages(), images);
            byte[] cycloneDx = Sboms.cycloneDxJson(contents.subject(), contents.packages(), images);
            Path spdxFile = request.outputDir().resolve(request.baseName() + "-" + FILES.get(0));
            Path cycloneDxFile = request.outputDir().resolve(request.baseName() + "-" + FILES.get(1));
            AtomicFiles.write(spdxFile, spdx);
            AtomicFiles.write(cycloneDxFile, cycloneDx);
            return List.of(spdxFile, cycloneDxFile);
        } catch (SbomInputException e) {
            throw new TwoliterException(request.module() + ": cannot write the SBOM published beside the images: "
                    + e.getMessage() + ".");
        }
    }

    private static SbomPackage local(VariantBuildRequest request, InstallRootStep.InstalledPackage p,
            Map<String, LocalRpm> localRpms) throws TwoliterException, IOException {
        String fileName = p.name() + "-" + p.version() + "-" + p.release() + "." + p.arch() + ".rpm";
        LocalRpm rpm = localRpms.get(fileName);
        if (rpm == null) {
            throw new TwoliterException(request.module() + ": dnf installed " + fileName + " from the local modules,"
                    + " but none of them has an RPM of that name.");
        }
        return new SbomPackage(p.name(), p.epoch(), p.version(), p.release(), p.arch(), p.license(),
                "local module " + rpm.module(), fileName, Digests.sha256(rpm.file()), Optional.empty(),
                text(p.url()), text(p.summary()), sources(rpm.sources()));
    }

    private static SbomPackage fromKit(VariantBuildRequest request, InstallRootStep.InstalledPackage p)
            throws TwoliterException {
        KitRepository kit = request.kits().stream().filter(k -> k.repoId().equals(p.repository())).findFirst()
                .orElseThrow(() -> new TwoliterException(request.module() + ": dnf installed " + p.name()
                        + " from repository " + p.repository() + ", which is none of the variant's kits."));
        KitManifest.Rpm rpm = kit.rpms().stream().filter(r -> r.name().equals(p.name()) && r.epoch() == p.epoch()
                && r.version().equals(p.version()) && r.release().equals(p.release()) && r.arch().equals(p.arch()))
                .findFirst().orElseThrow(() -> new TwoliterException(request.module() + ": dnf installed "
                        + p.name() + "-" + p.version() + "-" + p.release() + "." + p.arch() + " from kit "
                        + kit.coordinates() + ", whose manifest does not list it; the kit's repository and manifest"
                        + " disagree. Ask the kit's vendor for a consistent release."));
        // The header is what was installed; a manifest of an older kit has no license to offer.
        String license = p.license().isEmpty() ? rpm.license() : p.license();
        return new SbomPackage(p.name(), p.epoch(), p.version(), p.release(), p.arch(), license,
                kit.coordinates().groupId(), rpm.path().substring(rpm.path().lastIndexOf('/') + 1), rpm.sha256(),
                Optional.of(kit.coordinates().toString()), text(p.url()), text(p.summary()), sources(rpm.sources()));
    }

    static List<SbomPackage.SourceArchive> sources(List<RpmArchive.Source> sources) {
        return sources.stream().map(s -> new SbomPackage.SourceArchive(s.file(), s.sha512(), s.url(), s.purl()))
                .toList();
    }

    private static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
