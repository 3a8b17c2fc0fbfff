package dev.twoliter.engine.vm;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A boot of a disk kept across runs: what to write into it before the machine starts, and that the
 * disk and its boot state come back afterwards (run-vm.sh with PERSIST=true).
 *
 * @param currentState the boot state block the disk holds now (its exact bytes locate it)
 * @param nextState the block to write over it before the boot, if it changes
 * @param payloads bank images to write first, by name ({@code boot}, {@code root}, {@code hash})
 * @param partitions start and size in MiB of each payload's partition and of {@code esp}
 * @param payloadCompression how the payloads are compressed ({@code zstd}, {@code lz4}, {@code none})
 */
public record DiskSession(Path currentState, Optional<Path> nextState, Map<String, Path> payloads,
        Map<String, Partition> partitions, String payloadCompression) {
    public record Partition(long startMib, long sizeMib) {}

    public DiskSession {
        payloads = Map.copyOf(payloads);
        partitions = Map.copyOf(partitions);
    }
}
