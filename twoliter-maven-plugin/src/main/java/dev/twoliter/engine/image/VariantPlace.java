package dev.twoliter.engine.image;

import dev.twoliter.engine.Arch;
import java.nio.file.Path;

/**
 * Where one arch's variant build keeps its files, and the names it publishes them under. A project
 * that lists one arch keeps the names it always had ({@code target/image/<final name>-os.img}); one
 * that lists several gives each arch a directory and the arch in every name and classifier
 * ({@code target/image/aarch64/<final name>-aarch64-os.img}, classifier {@code aarch64-os}), so the
 * arches' files never meet in a directory or a repository, whichever arches a run builds.
 *
 * @param workDir the build record, logs, scratch space and the run goal's disks
 * @param outputDir the image files and the build manifest
 * @param baseName the start of every output file's name
 * @param classifierPrefix put before each output's classifier when it is published (empty, or the
 *     arch and a hyphen)
 */
public record VariantPlace(Path workDir, Path outputDir, String baseName, String classifierPrefix) {

    /**
     * @param targetDir the module's build directory
     * @param finalName the module's final name (artifact id and version)
     * @param severalArches whether the project lists more than one arch
     */
    public static VariantPlace of(Path targetDir, String finalName, Arch arch, boolean severalArches) {
        Path work = targetDir.resolve("twoliter");
        Path images = targetDir.resolve("image");
        if (!severalArches) {
            return new VariantPlace(work, images, finalName, "");
        }
        String name = arch.rpmName();
        return new VariantPlace(work.resolve(name), images.resolve(name), finalName + "-" + name,
                classifierPrefix(arch, true));
    }

    /** What goes before an output's classifier when it is published: see {@link #of}. */
    public static String classifierPrefix(Arch arch, boolean severalArches) {
        return severalArches ? arch.rpmName() + "-" : "";
    }

    /** The build manifest, which the build writes last. */
    public Path buildManifest() {
        return outputDir.resolve(baseName + ".variant.json");
    }

    /** The classifier an output is published under. */
    public String classifier(String outputClassifier) {
        return classifierPrefix + outputClassifier;
    }

    /** Whether a published classifier is this arch's, and which output it is then. */
    public java.util.Optional<String> outputClassifier(String publishedClassifier) {
        return outputClassifier(classifierPrefix, publishedClassifier);
    }

    /** As {@link #outputClassifier(String)}, for the classifiers that {@code prefix} starts. */
    public static java.util.Optional<String> outputClassifier(String prefix, String publishedClassifier) {
        if (publishedClassifier == null || !publishedClassifier.startsWith(prefix)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(publishedClassifier.substring(prefix.length()));
    }
}
