package dev.twoliter.engine.vm;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A boot of a disk kept across runs: what to write into it before the machine starts, and that the
 * disk and its boot state come back afterwards (run-vm.sh with PERSIST=true).
 *
 * @param loader {@code grub} or {@code uki} ({@link BankChooser#kind()}): where the boot state lives
 * @param currentState GRUB: the boot state block the disk holds now (its exact bytes locate it)
 * @param nextState GRUB: the block to write over it before the boot, if it changes
 * @param payloads bank images to write first, by name ({@code boot} or {@code uki}, {@code root}, {@code hash})
 * @param partitions start and size in MiB of each payload's partition and of {@code esp}
 * @param payloadCompression how the root and hash (and boot) payloads are compressed ({@code zstd},
 *     {@code lz4}, {@code none}); a UKI is written as it is
 * @param ukiTry UKI: the bank whose UKI the {@code uki} payload replaces, as a try
 */
public record DiskSession(String loader, Optional<Path> currentState, Optional<Path> nextState,
        Map<String, Path> payloads, Map<String, Partition> partitions, String payloadCompression,
        Optional<Bank> ukiTry) {
    public record Partition(long startMib, long sizeMib) {}

    public DiskSession {
        payloads = Map.copyOf(payloads);
        partitions = Map.copyOf(partitions);
    }

    /** Gathers a session: the EFI system partition always, a bank's partitions and payloads for a try. */
    static final class Builder {
        private final String loader;
        private final DiskLayout layout;
        private final String module;
        private final Optional<Path> currentState;
        private Optional<Path> nextState = Optional.empty();
        private final Map<String, Path> payloads = new HashMap<>();
        private final Map<String, Partition> partitions = new HashMap<>();
        private String payloadCompression = "none";
        private Optional<Bank> ukiTry = Optional.empty();

        Builder(String loader, DiskLayout layout, String module, String espLabel, Optional<Path> currentState)
                throws TwoliterException {
            this.loader = loader;
            this.layout = layout;
            this.module = module;
            this.currentState = currentState;
            partitions.put("esp", partition(espLabel));
        }

        void nextState(Path file) {
            nextState = Optional.of(file);
        }

        /** A payload and the partition it is written into ({@code label}), both under {@code name}. */
        void bankImage(String name, String label, Path file) throws TwoliterException {
            partitions.put(name, partition(label));
            payloads.put(name, file);
        }

        /** A payload that goes into a file rather than a partition (a UKI on the EFI system partition). */
        void payload(String name, Path file) {
            payloads.put(name, file);
        }

        void payloadCompression(String compression) {
            payloadCompression = compression;
        }

        void ukiTry(Bank bank) {
            ukiTry = Optional.of(bank);
        }

        DiskSession build() {
            return new DiskSession(loader, currentState, nextState, payloads, partitions, payloadCompression, ukiTry);
        }

        private Partition partition(String label) throws TwoliterException {
            return layout.partition(label).orElseThrow(() -> new TwoliterException(module + ": the disk has no"
                    + " partition " + label + "; the update mode needs an image with in-place updates (two banks)."));
        }
    }
}
