package dev.twoliter.engine.image;

import java.nio.file.Path;
import java.util.List;

/** The build manifest and the image files (each with the classifier it is published under). */
public record VariantBuildResult(Path buildManifest, List<Output> outputs, boolean upToDate) {

    /**
     * One output file, published as {@code <classifier>} with extension {@code type}, and its sha256,
     * taken once: image files can be gigabytes, and the build manifest and the build record both
     * need the digest.
     */
    public record Output(String classifier, String type, Path file, String sha256) {}
}
