package dev.twoliter.engine.bank;

import java.util.Optional;

/** One of the two sets of BOOT, ROOT and HASH partitions of an image with in-place updates. */
public enum Bank {
    A, B;

    /**
     * The bank a stored value names. Anything but exactly "A" or "B" (empty, lower case, padded,
     * another letter) names none: the value comes from a disk, and GRUB's first stage compares the
     * same way.
     */
    public static Optional<Bank> parse(String value) {
        return switch (value == null ? "" : value) {
            case "A" -> Optional.of(A);
            case "B" -> Optional.of(B);
            default -> Optional.empty();
        };
    }

    public Bank other() {
        return this == A ? B : A;
    }

    /** A partition of this bank by its GPT name: {@code BOTTLEROCKET-<kind>-<bank>}. */
    public String partitionLabel(Part part) {
        return "BOTTLEROCKET-" + part + "-" + name();
    }

    /** The partitions a bank is made of, in disk order; an update writes all three. */
    public enum Part {
        BOOT, ROOT, HASH
    }
}
