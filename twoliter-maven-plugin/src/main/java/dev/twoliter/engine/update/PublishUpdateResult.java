package dev.twoliter.engine.update;

import java.util.List;

/**
 * What a publication did: the targets added (their names in the TUF metadata and the files they
 * are stored as), the metadata written, and how many bytes went up.
 */
public record PublishUpdateResult(List<Target> targets, List<String> metadataFiles, long bytesUploaded,
        int targetsVersion, boolean newRepository) {

    /** @param name the target's name; @param storedAs {@code targets/<sha256>.<name>} */
    public record Target(String role, String name, String storedAs, long length, String sha256) {}
}
