package dev.twoliter.engine.vm;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.TomlText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;

/**
 * An OS disk that lives on between runs (twoliter:run's update mode), as a machine's disk does:
 * the disk ({@code os.img.zst}), its boot state as the last boot left it ({@code boot-state}: GRUB's
 * environment block, or the names of systemd-boot's entries, see {@link BankChooser}), and what this
 * run knows of it ({@code disk.toml}: the image it was made from, its loader, the version in each
 * bank, the versions whose try failed). The update repository's
 * accepted metadata is kept beside it ({@code tuf/}).
 */
final class PersistentDisk implements BankChooser.KeptVersions {
    static final String IMAGE = "os.img.zst";
    private static final String STATE = "boot-state";
    private static final String FACTS = "disk.toml";
    private static final long MAX_FACTS_BYTES = 64 * 1024;

    private final Path dir;
    private final BankChooser chooser;
    private final String builtFrom;
    private final Map<Bank, String> versions;
    private final List<String> failed;

    private PersistentDisk(Path dir, BankChooser chooser, String builtFrom, Map<Bank, String> versions,
            List<String> failed) {
        this.dir = dir;
        this.chooser = chooser;
        this.builtFrom = builtFrom;
        this.versions = versions;
        this.failed = failed;
    }

    /**
     * The disk in {@code dir}, made from the built image (bank A holding {@code builtVersion}) if
     * there is none yet or {@code reset} asks for a new one.
     */
    static PersistentDisk open(Path dir, Path builtImage, String builtVersion, boolean reset, BankChooser chooser)
            throws TwoliterException, IOException {
        if (reset || !exists(dir)) {
            AtomicFiles.deleteTree(dir);
            Files.createDirectories(dir);
            Path copy = AtomicFiles.tempSibling(dir.resolve(IMAGE));
            Files.copy(builtImage, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.moveIntoPlace(copy, dir.resolve(IMAGE));
            AtomicFiles.write(dir.resolve(STATE), chooser.initialState());
            Map<Bank, String> versions = new EnumMap<>(Bank.class);
            versions.put(Bank.A, builtVersion);
            PersistentDisk disk = new PersistentDisk(dir, chooser, Digests.sha256(builtImage), versions,
                    new ArrayList<>());
            disk.saveFacts();
            return disk;
        }
        return read(dir, chooser);
    }

    /** Whether {@code dir} holds a disk that {@link #open} keeps (unless asked to reset it). */
    static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FACTS)) && Files.isRegularFile(dir.resolve(IMAGE))
                && Files.isRegularFile(dir.resolve(STATE));
    }

    private static PersistentDisk read(Path dir, BankChooser chooser) throws TwoliterException, IOException {
        Path file = dir.resolve(FACTS);
        if (Files.size(file) > MAX_FACTS_BYTES) {
            throw corrupt(dir, "disk.toml is too large");
        }
        TomlParseResult toml = Toml.parse(file);
        Map<Bank, String> versions = new EnumMap<>(Bank.class);
        for (Bank bank : Bank.values()) {
            Object v = toml.get("bank-" + bank.name().toLowerCase(java.util.Locale.ROOT));
            if (v instanceof String s && Syntax.isMavenVersion(s)) {
                versions.put(bank, s);
            }
        }
        List<String> failed = new ArrayList<>();
        TomlArray list = toml.getArray("failed");
        for (int i = 0; list != null && i < list.size() && i < 1000; i++) {
            if (list.get(i) instanceof String s && Syntax.isMavenVersion(s)) {
                failed.add(s);
            }
        }
        Object built = toml.get("built-from");
        if (toml.hasErrors() || !(built instanceof String b) || !Syntax.isSha256(b) || versions.isEmpty()) {
            throw corrupt(dir, "disk.toml cannot be read");
        }
        Object loader = toml.get("loader");
        if (!chooser.kind().equals(loader)) {
            throw new TwoliterException("The kept disk in " + dir + " was made from an image whose loader is "
                    + (loader instanceof String l && (l.equals("grub") || l.equals("uki")) ? l : "unknown")
                    + ", but this image's is " + chooser.kind() + "; start a new disk with twoliter.run.resetDisk=true.");
        }
        return new PersistentDisk(dir, chooser, b, versions, failed);
    }

    private static TwoliterException corrupt(Path dir, String why) {
        return new TwoliterException("The kept disk in " + dir + " is damaged (" + why + "); start a new one with"
                + " twoliter.run.resetDisk=true.");
    }

    Path image() {
        return dir.resolve(IMAGE);
    }

    Path stateFile() {
        return dir.resolve(STATE);
    }

    Path tufState() {
        return dir.resolve("tuf");
    }

    /**
     * Takes {@code staged} as the update repository's accepted metadata ({@link #tufState()}): what a
     * check made for this disk before the disk itself was made.
     */
    void adoptTufState(Path staged) throws IOException {
        AtomicFiles.deleteTree(tufState());
        Files.move(staged, tufState());
    }

    /** The boot state as the last boot left it, checked by the disk's loader. */
    byte[] state() throws TwoliterException, IOException {
        if (Files.size(stateFile()) > MAX_FACTS_BYTES) {
            throw corrupt(dir, "boot-state is too large");
        }
        byte[] state = Files.readAllBytes(stateFile());
        try {
            chooser.check(state);
        } catch (TwoliterException e) {
            throw corrupt(dir, "boot-state: " + e.getMessage());
        }
        return state;
    }

    @Override
    public Optional<String> version(Bank bank) {
        return Optional.ofNullable(versions.get(bank));
    }

    boolean failedBefore(String version) {
        return failed.contains(version);
    }

    /** Takes the disk and its boot state as a boot left them; {@code written}: the bank an update wrote. */
    void commit(Path image, Path state, Optional<Bank> written, Optional<String> writtenVersion)
            throws TwoliterException, IOException {
        try {
            if (Files.size(state) > MAX_FACTS_BYTES) {
                throw new TwoliterException("the file is too large.");
            }
            chooser.check(Files.readAllBytes(state));
        } catch (TwoliterException e) {
            throw new TwoliterException("The boot state the machine left cannot be read: " + e.getMessage()
                    + " The kept disk was not changed.");
        }
        AtomicFiles.moveIntoPlace(image, image());
        AtomicFiles.moveIntoPlace(state, stateFile());
        written.ifPresent(bank -> versions.put(bank, writtenVersion.orElseThrow()));
        saveFacts();
    }

    void markFailed(String version) throws IOException {
        if (!failed.contains(version)) {
            failed.add(version);
        }
        saveFacts();
    }

    private void saveFacts() throws IOException {
        StringBuilder t = new StringBuilder("# Written by twoliter:run's update mode.\n");
        t.append(TomlText.entry("built-from", builtFrom));
        t.append(TomlText.entry("loader", chooser.kind()));
        versions.forEach((bank, v) -> t.append(TomlText.entry("bank-" + bank.name().toLowerCase(
                java.util.Locale.ROOT), v)));
        t.append("failed = ").append(TomlText.strings(failed)).append('\n');
        AtomicFiles.writeString(dir.resolve(FACTS), t.toString());
    }
}
