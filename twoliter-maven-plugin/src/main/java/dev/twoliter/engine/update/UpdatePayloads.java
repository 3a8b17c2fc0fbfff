package dev.twoliter.engine.update;

import java.nio.file.Path;

/**
 * A version's bank images, as the variant build wrote them (compressed as configured): the boot
 * partition, the root filesystem and its dm-verity hash tree, each with the file type it was
 * published under (for example {@code ext4.zst}), which ends its target name.
 */
public record UpdatePayloads(Payload boot, Payload root, Payload hash) {
    public record Payload(java.nio.file.Path file, String type) {}
}
