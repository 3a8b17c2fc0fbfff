package dev.twoliter.engine.prebuilt;

import java.nio.file.Path;

/** A prebuilt RPM at hand: its declaration, the file, what its header says and its digests. */
public record PrebuiltRpm(PrebuiltDeclaration declaration, Path file, RpmHeader header, String sha256,
        String sha512) {
    /** The name it gets in the module's artifact: rpmbuild's, which dependants sort RPMs by arch with. */
    public String archiveName() {
        return header.fileName();
    }
}
