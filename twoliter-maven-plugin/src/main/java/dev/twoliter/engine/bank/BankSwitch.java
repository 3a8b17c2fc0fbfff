package dev.twoliter.engine.bank;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What an updater does to the state once the other bank holds a new OS: ask GRUB to boot that
 * bank once. GRUB's first stage consumes the try (twoliter_tries 1 to 0) before it boots the bank;
 * the OS confirms it by making it twoliter_bank; if it never does, the next boot falls back to the
 * confirmed bank and records the failed one in twoliter_fallback.
 */
public final class BankSwitch {
    private BankSwitch() {}

    /**
     * Makes the next boot try {@code bank} once, and clears the record of an earlier failed try
     * (a new try starts a new story). Write the bank's partitions first ({@link BankCopy}): from here
     * on, the next boot runs them.
     */
    public static BankState prepareTry(Path disk, Bank bank) throws IOException {
        BankState state = BankState.read(disk);
        return state.write(tryOnce(state.block(), bank));
    }

    /** The state that makes the next boot try {@code bank} once, from the state {@code block}. */
    public static GrubEnvironmentBlock tryOnce(GrubEnvironmentBlock block, Bank bank) {
        return block.with(BankState.TRY, bank.name()).with(BankState.TRIES, "1").with(BankState.FALLBACK, "");
    }
}
