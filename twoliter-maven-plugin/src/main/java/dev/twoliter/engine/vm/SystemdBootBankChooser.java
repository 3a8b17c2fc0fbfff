package dev.twoliter.engine.vm;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.bank.UkiEntries;
import dev.twoliter.engine.update.UpdateVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * UKI images with banks: the state is the list of names in the EFI system partition's
 * {@code EFI/Linux}, one UKI per bank, a try carrying systemd-boot's boot counter (docs/booting.md,
 * "UKI: A/B banks with systemd-boot"). An update replaces the bank's UKI with one named
 * {@code twoliter-<bank>+1-0.efi} and writes its ROOT and HASH partitions; systemd-boot counts the
 * try down before it starts it, and the OS confirms by dropping the counter.
 */
final class SystemdBootBankChooser implements BankChooser {
    /** More names than this in EFI/Linux is not a disk this run made. */
    private static final int MAX_ENTRIES = 64;

    @Override
    public String kind() {
        return "uki";
    }

    @Override
    public String loaderName() {
        return "systemd-boot";
    }

    @Override
    public boolean bootsUkis() {
        return true;
    }

    @Override
    public Optional<Path> stateToLocate(Path stateFile) {
        return Optional.empty();
    }

    @Override
    public byte[] initialState() {
        return (UkiEntries.fileName(Bank.A) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void check(byte[] state) throws TwoliterException {
        entries(state);
    }

    /**
     * systemd-boot's own order (252, no default in loader.conf): entries whose tries are used up
     * last, otherwise the newest version first, equal versions bank B first. Versions are compared
     * as semantic versions, which systemd-boot's version comparison agrees with for the versions
     * update repositories accept.
     */
    @Override
    public Bank next(byte[] state, KeptVersions versions) throws TwoliterException {
        UkiEntries entries = entries(state);
        Comparator<Bank> order = Comparator.comparing((Bank bank) -> entries.entry(bank).orElseThrow().status()
                == UkiEntries.Status.FAILED)
                .thenComparing(bank -> versions.version(bank).flatMap(UpdateVersion::parse).orElse(null),
                        Comparator.nullsLast(Comparator.<UpdateVersion>reverseOrder()))
                .thenComparing(Comparator.<Bank>reverseOrder());
        return entries.banks().keySet().stream().min(order).orElseThrow(() -> new TwoliterException("EFI/Linux on"
                + " the kept disk has no bank's UKI, so nothing can boot it."));
    }

    @Override
    public void prepareTry(byte[] state, Bank target, Path bootImage, Path workDir, DiskSession.Builder session)
            throws TwoliterException {
        UkiEntries entries = entries(state);
        if (!entries.others().isEmpty()) {
            throw new TwoliterException("EFI/Linux on the kept disk holds files that are not a bank's UKI ("
                    + String.join(", ", entries.others().stream().limit(5).map(Syntax::show).toList())
                    + "); systemd-boot would order them among the banks, so the disk is not updated.");
        }
        session.payload("uki", bootImage);
        session.ukiTry(target);
    }

    @Override
    public boolean confirmed(byte[] state, Bank target) throws TwoliterException {
        return entries(state).confirmed(target);
    }

    @Override
    public boolean recordedFailure(byte[] state, Bank target) throws TwoliterException {
        return entries(state).entry(target).filter(e -> e.status() == UkiEntries.Status.FAILED).isPresent();
    }

    @Override
    public Optional<Bank> failedTry(byte[] state) throws TwoliterException {
        UkiEntries entries = entries(state);
        return entries.banks().keySet().stream().filter(b -> entries.entry(b).orElseThrow().status()
                == UkiEntries.Status.FAILED).findFirst();
    }

    private static UkiEntries entries(byte[] state) throws TwoliterException {
        List<String> names = new String(state, StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty()).toList();
        if (names.size() > MAX_ENTRIES) {
            throw new TwoliterException("EFI/Linux on the kept disk holds " + names.size() + " files; expected one UKI"
                    + " per bank.");
        }
        try {
            return UkiEntries.parse(names);
        } catch (IllegalArgumentException e) {
            throw new TwoliterException(e.getMessage() + ".");
        }
    }
}
