package dev.twoliter.engine.bank;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The A/B state of a UKI image with banks (docs/booting.md, "UKI: A/B banks with systemd-boot"): the
 * names of the files in the EFI system partition's {@code EFI/Linux}, where each bank has one UKI,
 * {@code twoliter-a.efi} or {@code twoliter-b.efi}, and a try carries systemd-boot's boot counter,
 * {@code +LEFT-DONE}, which systemd-boot counts down by renaming the file before it boots it.
 *
 * <p>The names come from a disk, so they are parsed strictly: a bank's name in lower case, counters of
 * at most four digits. Any other name is kept in {@link #others()}, because systemd-boot would order
 * it among the banks' entries: a caller refuses to update a disk that has them.
 *
 * @param banks the entry of each bank that has one
 * @param others every name in EFI/Linux that is not a bank's entry
 */
public record UkiEntries(Map<Bank, Entry> banks, List<String> others) {
    private static final Pattern NAME = Pattern.compile("twoliter-([ab])(?:\\+([0-9]{1,4})(?:-([0-9]{1,4}))?)?\\.efi");

    /** What a bank's entry says about it. */
    public enum Status {
        /** No counter: the bank booted and was confirmed (or is the image's first). */
        CONFIRMED,
        /** A counter with tries left: the next boot starts it. */
        TRYING,
        /** A counter with no tries left: the try was started and never confirmed; it boots last. */
        FAILED
    }

    /** A bank's entry: its file name, status and, with a counter, the tries left and done. */
    public record Entry(String fileName, Status status, int triesLeft, int triesDone) {}

    public UkiEntries {
        banks = Map.copyOf(banks);
        others = List.copyOf(others);
    }

    /** A bank's UKI without a counter: {@code twoliter-a.efi}. */
    public static String fileName(Bank bank) {
        return stem(bank) + ".efi";
    }

    /** A bank's UKI with one try left and none done: {@code twoliter-b+1-0.efi}. */
    public static String tryFileName(Bank bank) {
        return stem(bank) + "+1-0.efi";
    }

    private static String stem(Bank bank) {
        return "twoliter-" + bank.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The state from the names in EFI/Linux (directory entries "." and ".." are not passed). Two
     * entries for one bank are refused: which one systemd-boot boots would depend on their versions.
     */
    public static UkiEntries parse(List<String> names) {
        Map<Bank, Entry> banks = new EnumMap<>(Bank.class);
        List<String> others = new ArrayList<>();
        for (String name : names) {
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                others.add(name);
                continue;
            }
            Bank bank = m.group(1).equals("a") ? Bank.A : Bank.B;
            Entry entry;
            if (m.group(2) == null) {
                entry = new Entry(name, Status.CONFIRMED, 0, 0);
            } else {
                int left = Integer.parseInt(m.group(2));
                int done = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
                entry = new Entry(name, left > 0 ? Status.TRYING : Status.FAILED, left, done);
            }
            if (banks.putIfAbsent(bank, entry) != null) {
                throw new IllegalArgumentException("EFI/Linux has two entries for bank " + bank + ": "
                        + banks.get(bank).fileName() + " and " + name);
            }
        }
        return new UkiEntries(banks, others);
    }

    public Optional<Entry> entry(Bank bank) {
        return Optional.ofNullable(banks.get(bank));
    }

    /**
     * Whether the try of {@code bank} was confirmed after a boot: its entry lost its counter. A
     * FAILED entry, or none, means the try did not confirm.
     */
    public boolean confirmed(Bank bank) {
        return entry(bank).map(e -> e.status() == Status.CONFIRMED).orElse(false);
    }
}
