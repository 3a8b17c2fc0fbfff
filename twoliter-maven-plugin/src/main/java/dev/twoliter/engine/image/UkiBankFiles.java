package dev.twoliter.engine.image;

import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What boots a UKI image with A/B banks, made and signed: systemd-boot (the default loader),
 * loader.conf and each bank's UKI ({@link UkiBanks}).
 */
record UkiBankFiles(SecureBootStep.Loader loader, Path loaderConf, Map<Bank, Path> ukis) {
    /** A bank's UKI as the UKI step names it and as an output's classifier: {@code uki-a}, {@code uki-b}. */
    static String name(Bank bank) {
        return "uki-" + bank.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The build manifest's record of what was signed: systemd-boot, then each bank's UKI by the
     * output it is (bank B's is on no ESP until an update installs it).
     */
    java.util.Optional<SecureBootStep.Signed> signed(VariantBuildRequest request) throws IOException {
        if (loader.signed().isEmpty()) {
            return java.util.Optional.empty();
        }
        java.util.List<SecureBootStep.SignedFile> files = new java.util.ArrayList<>();
        for (Bank bank : Bank.values()) {
            files.add(new SecureBootStep.SignedFile(request.baseName() + "-" + name(bank) + ".efi", "uki (bank "
                    + bank + ")", dev.twoliter.engine.io.Digests.sha256(ukis.get(bank))));
        }
        return java.util.Optional.of(loader.signed().get().withStarted(files));
    }

    /** The disk step's files: systemd-boot as the default loader; loader.conf and bank A's UKI on the ESP. */
    DiskImageStep.BootFiles boot() {
        return new DiskImageStep.BootFiles(null, loader.file(), null, null, null, Map.of(
                "loader/loader.conf", loaderConf,
                UkiBanks.ENTRY_DIR + "/" + UkiBanks.entryName(Bank.A), ukis.get(Bank.A)));
    }

    /**
     * Both banks' UKIs beside the disk images, {@code <base>-uki-a.efi} and {@code <base>-uki-b.efi}:
     * what an update installs on the EFI system partition (uncompressed: a UKI's kernel is already).
     */
    void writeUpdatePayloads(VariantBuildRequest request) throws IOException {
        for (Bank bank : Bank.values()) {
            AtomicFiles.write(request.outputDir().resolve(request.baseName() + "-" + name(bank) + ".efi"),
                    Files.readAllBytes(ukis.get(bank)));
        }
    }
}
