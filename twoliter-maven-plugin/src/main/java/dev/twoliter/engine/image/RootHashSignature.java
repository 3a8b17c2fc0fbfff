package dev.twoliter.engine.image;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/** The detached signature of the root hash, published beside the images when the variant has a signer. */
final class RootHashSignature {
    /** The classifier of the root hash signature among the outputs. */
    static final String CLASSIFIER = "root-hash";

    private RootHashSignature() {}

    /** Where the signature goes: {@code <base>-root-hash.p7s} in the output directory. */
    static Path file(VariantBuildRequest request) {
        return request.outputDir().resolve(request.baseName() + "-" + CLASSIFIER + ".p7s");
    }

    /** Signs the measured root hash, if the variant has a signer (after the disk step, which empties the directory). */
    static void write(VariantBuildRequest request, RootFilesystemStep.Root root) throws TwoliterException, IOException {
        if (request.rootHashSigner().isPresent()) {
            AtomicFiles.write(file(request), request.rootHashSigner().get().sign(root.rootHash()));
        }
    }
}
