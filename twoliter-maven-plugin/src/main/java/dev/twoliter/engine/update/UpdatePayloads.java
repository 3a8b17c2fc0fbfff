package dev.twoliter.engine.update;

import dev.twoliter.engine.bank.Bank;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A version's bank images, as the variant build wrote them (compressed as configured): the root
 * filesystem and its dm-verity hash tree, and what boots a bank: a GRUB image's boot partition
 * image, which serves either bank, or a UKI image's two UKIs, one per bank. Each has the file type
 * it is published under (for example {@code ext4.zst}), which ends its target name.
 */
public record UpdatePayloads(Payload root, Payload hash, Optional<Payload> boot, Map<Bank, Payload> ukis) {
    public record Payload(Path file, String type) {}

    public UpdatePayloads {
        ukis = Map.copyOf(ukis);
    }

    public static UpdatePayloads grub(Payload boot, Payload root, Payload hash) {
        return new UpdatePayloads(root, hash, Optional.ofNullable(boot), Map.of());
    }

    public static UpdatePayloads uki(Map<Bank, Payload> ukis, Payload root, Payload hash) {
        return new UpdatePayloads(root, hash, Optional.empty(), ukis);
    }
}
