package dev.twoliter.engine.vm;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the loader of a disk kept across runs chooses its bank, seen from outside the machine:
 * GRUB's environment block on the EFI system partition, or the names of systemd-boot's entries.
 * The kept disk stores that state as it was after the last boot ({@code boot-state}); run-vm.sh
 * writes an update's try into it before a boot and reads it back after.
 */
interface BankChooser {
    /** {@code grub} or {@code uki}: which part of run-vm.sh handles the state. */
    String kind();

    /** Whether each bank boots its own UKI (an update carries one per bank) rather than a boot partition. */
    boolean bootsUkis();

    /**
     * The kept state file as run-vm.sh must be given it before a boot, if it needs it: GRUB's block
     * is found on the disk by its exact bytes; systemd-boot's entries are read from the disk itself.
     */
    Optional<Path> stateToLocate(Path stateFile);

    /** The loader as a user knows it, for messages. */
    String loaderName();

    /** The state of a disk just made from the image: bank A, nothing tried. */
    byte[] initialState();

    /** Refuses state bytes that a boot of this loader cannot have left. */
    void check(byte[] state) throws TwoliterException;

    /** The bank the loader boots next when nothing is changed. */
    Bank next(byte[] state, KeptVersions versions) throws TwoliterException;

    /**
     * Adds to {@code session} what makes {@code target} boot the update ({@code bootImage}: the boot
     * partition image or the bank's UKI) and the next boot try it once.
     */
    void prepareTry(byte[] state, Bank target, Path bootImage, Path workDir, DiskSession.Builder session)
            throws TwoliterException, IOException;

    /** After a boot that tried {@code target}: whether the OS confirmed it. */
    boolean confirmed(byte[] state, Bank target) throws TwoliterException;

    /** After the boot that followed a failed try of {@code target}: whether the loader recorded the failure. */
    boolean recordedFailure(byte[] state, Bank target) throws TwoliterException;

    /** The bank whose last try failed, if the state says so. */
    Optional<Bank> failedTry(byte[] state) throws TwoliterException;

    /** The version each bank of the kept disk holds, as far as this run knows. */
    interface KeptVersions {
        Optional<String> version(Bank bank);
    }
}
