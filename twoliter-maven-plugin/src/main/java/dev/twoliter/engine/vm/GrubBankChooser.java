package dev.twoliter.engine.vm;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.bank.BankState;
import dev.twoliter.engine.bank.BankSwitch;
import dev.twoliter.engine.bank.GrubEnvironmentBlock;
import dev.twoliter.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * GRUB images: the state is the 1024-byte environment block on the EFI system partition
 * (docs/booting.md); a try is {@code twoliter_try} with one try, the OS confirms by making the bank
 * {@code twoliter_bank}, and GRUB records a failed try in {@code twoliter_fallback}. An update
 * writes the bank's BOOT, ROOT and HASH partitions.
 */
final class GrubBankChooser implements BankChooser {
    @Override
    public String kind() {
        return "grub";
    }

    @Override
    public String loaderName() {
        return "GRUB";
    }

    @Override
    public boolean bootsUkis() {
        return false;
    }

    @Override
    public Optional<Path> stateToLocate(Path stateFile) {
        return Optional.of(stateFile);
    }

    @Override
    public byte[] initialState() {
        return BankState.initialBlock().render();
    }

    @Override
    public void check(byte[] state) throws TwoliterException {
        block(state);
    }

    @Override
    public Bank next(byte[] state, KeptVersions versions) throws TwoliterException {
        return Bank.parse(block(state).get(BankState.BANK).orElse("A")).orElse(Bank.A);
    }

    @Override
    public void prepareTry(byte[] state, Bank target, Path bootImage, Path workDir, DiskSession.Builder session)
            throws TwoliterException, IOException {
        Path next = workDir.resolve("boot-state-next");
        AtomicFiles.write(next, BankSwitch.tryOnce(block(state), target).render());
        session.nextState(next);
        session.bankImage("boot", target.partitionLabel(Bank.Part.BOOT), bootImage);
    }

    @Override
    public boolean confirmed(byte[] state, Bank target) throws TwoliterException {
        GrubEnvironmentBlock after = block(state);
        return after.get(BankState.TRY).filter(t -> t.equals(target.name())).isEmpty()
                && after.get(BankState.BANK).filter(b -> b.equals(target.name())).isPresent();
    }

    @Override
    public boolean recordedFailure(byte[] state, Bank target) throws TwoliterException {
        return block(state).get(BankState.FALLBACK).filter(f -> f.equals(target.name())).isPresent();
    }

    @Override
    public Optional<Bank> failedTry(byte[] state) throws TwoliterException {
        return block(state).get(BankState.FALLBACK).flatMap(Bank::parse);
    }

    private static GrubEnvironmentBlock block(byte[] state) throws TwoliterException {
        try {
            return GrubEnvironmentBlock.parse(state);
        } catch (IllegalArgumentException e) {
            throw new TwoliterException("The boot state is not a GRUB environment block (" + e.getMessage() + ").");
        }
    }
}
