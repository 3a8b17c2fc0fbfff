package dev.twoliter.engine.sbom;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Software bills of materials for kits and variants: one SPDX 2.3 JSON and one CycloneDX 1.6 JSON
 * document listing the RPMs in the kit or image, with their digests, licenses, suppliers, kits and
 * the source archives they were built from. The documents a variant publishes beside its images
 * also list its update images ({@link SbomUpdateImage}); the ones inside the image cannot, since the
 * root image's digest would have to cover itself.
 *
 * <p>Both are reproducible: the same subject and packages (in any order) give the same bytes, the
 * creation time is the subject's build timestamp, and identifiers are derived from the content.
 * Nothing of the host, the user, the clock or the file system goes in. docs/sbom.md describes the
 * documents field by field.
 */
public final class Sboms {
    /** A large distribution has a few thousand packages. */
    public static final int MAX_PACKAGES = 100_000;
    /** All packages' source archives together. */
    public static final int MAX_SOURCES = 1_000_000;
    /**
     * All packages' free texts together (licenses, summaries, suppliers, URLs), in characters: a
     * few times this much memory is what writing the documents takes beyond the packages' fixed fields.
     */
    public static final long MAX_TEXT_CHARACTERS = 32L << 20;
    public static final String SPDX_SUFFIX = ".spdx.json";
    public static final String CYCLONEDX_SUFFIX = ".cdx.json";

    private Sboms() {}

    /**
     * Writes {@code baseName.spdx.json} and {@code baseName.cdx.json} in {@code directory} (created
     * if missing). Both documents are rendered before either file is touched; each file is written
     * to a temporary file beside it and moved into place, and a failed write deletes its temporary
     * file. (The two moves are not one transaction: a failure of the second leaves the first in place.)
     *
     * @throws SbomInputException if the subject, a package or the base name is not fit for an SBOM
     */
    public static SbomFiles write(SbomSubject subject, List<SbomPackage> packages, Path directory, String baseName)
            throws IOException {
        return write(subject, packages, List.of(), directory, baseName);
    }

    /**
     * {@link #write(SbomSubject, List, Path, String)} for the documents published beside a
     * variant's images, which also list its update images (file, digest, target name and stored
     * path). The same subject and packages with no update images give the same bytes as without.
     */
    public static SbomFiles write(SbomSubject subject, List<SbomPackage> packages, List<SbomUpdateImage> updateImages,
            Path directory, String baseName) throws IOException {
        if (directory == null) {
            throw new SbomInputException("SBOM of " + (subject == null ? "(none)" : subject.coordinates())
                    + " without a directory");
        }
        if (!Syntax.isPlainFileName(baseName) || baseName.length() > 200) {
            throw new SbomInputException("SBOM base name " + Syntax.show(baseName)
                    + " is not a plain file name of at most 200 characters");
        }
        SbomInput input = SbomInput.of(subject, packages, updateImages);
        byte[] spdx = SpdxWriter.render(input);
        byte[] cycloneDx = CycloneDxWriter.render(input);
        Path spdxFile = directory.resolve(baseName + SPDX_SUFFIX);
        Path cycloneDxFile = directory.resolve(baseName + CYCLONEDX_SUFFIX);
        AtomicFiles.write(spdxFile, spdx);
        AtomicFiles.write(cycloneDxFile, cycloneDx);
        return new SbomFiles(spdxFile, cycloneDxFile);
    }

    /** The SPDX 2.3 JSON document, UTF-8. */
    public static byte[] spdxJson(SbomSubject subject, List<SbomPackage> packages) {
        return SpdxWriter.render(SbomInput.of(subject, packages));
    }

    /** The CycloneDX 1.6 JSON document, UTF-8. */
    public static byte[] cycloneDxJson(SbomSubject subject, List<SbomPackage> packages) {
        return CycloneDxWriter.render(SbomInput.of(subject, packages));
    }

    /** The SPDX 2.3 JSON document with the variant's update images, UTF-8. */
    public static byte[] spdxJson(SbomSubject subject, List<SbomPackage> packages,
            List<SbomUpdateImage> updateImages) {
        return SpdxWriter.render(SbomInput.of(subject, packages, updateImages));
    }

    /** The CycloneDX 1.6 JSON document with the variant's update images, UTF-8. */
    public static byte[] cycloneDxJson(SbomSubject subject, List<SbomPackage> packages,
            List<SbomUpdateImage> updateImages) {
        return CycloneDxWriter.render(SbomInput.of(subject, packages, updateImages));
    }

    /** {@link #spdxJson} as text. */
    public static String spdxText(SbomSubject subject, List<SbomPackage> packages) {
        return new String(spdxJson(subject, packages), StandardCharsets.UTF_8);
    }

    /** {@link #cycloneDxJson} as text. */
    public static String cycloneDxText(SbomSubject subject, List<SbomPackage> packages) {
        return new String(cycloneDxJson(subject, packages), StandardCharsets.UTF_8);
    }
}
