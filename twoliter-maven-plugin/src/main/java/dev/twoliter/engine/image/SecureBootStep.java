package dev.twoliter.engine.image;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.signing.SecureBootSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Signs the EFI executable the firmware starts (the UKI, or GRUB's EFI image) for UEFI Secure
 * Boot, in the plugin rather than in a container: the db key never enters the SDK. Runs after the
 * UKI or GRUB step and before the disk step, which puts the signed copy on the EFI system partition.
 */
final class SecureBootStep {
    /**
     * What was signed, for the build manifest: the default loader, and the executables it starts
     * that were signed with the same key ({@code started}: the banks' UKIs under systemd-boot).
     */
    record Signed(String loader, String path, String sha256, String subject, String certificateSha256,
            List<SignedFile> started) {
        Signed(String loader, String path, String sha256, String subject, String certificateSha256) {
            this(loader, path, sha256, subject, certificateSha256, List.of());
        }

        Signed withStarted(List<SignedFile> files) {
            return new Signed(loader, path, sha256, subject, certificateSha256, List.copyOf(files));
        }
    }

    /** One more signed executable: its path (on the EFI system partition, or the output it is), kind, digest. */
    record SignedFile(String path, String loader, String sha256) {}

    /** The loader the disk step installs, and its signature if the variant is signed. */
    record Loader(Path file, Optional<Signed> signed) {}

    private SecureBootStep() {}

    /**
     * The signed copy of an EFI executable that a loader starts (a bank's UKI under systemd-boot), or
     * {@code file} itself without a Secure Boot key. Under Secure Boot the firmware checks it when
     * systemd-boot loads it, against the same db as the default loader.
     */
    static Path signStarted(StepContext steps, VariantBuildRequest request, Path file, String what, Path dir)
            throws TwoliterException, IOException {
        Optional<SecureBootSigner> signer = request.secureBootSigner();
        if (signer.isEmpty()) {
            return file;
        }
        steps.log().info("Signing " + request.module() + "'s " + what + " for Secure Boot with " + signer.get().subject());
        byte[] signed = signer.get().sign(Files.readAllBytes(file), request.module() + "'s " + what);
        AtomicFiles.deleteTree(dir);
        Path out = Files.createDirectories(dir).resolve(file.getFileName().toString());
        AtomicFiles.write(out, signed);
        return out;
    }

    /**
     * The signed copy of {@code loader} (written into {@code dir}), or {@code loader} itself when the
     * variant has no Secure Boot key; {@code kind} names the loader ("uki", "grub").
     */
    static Loader run(StepContext steps, VariantBuildRequest request, Path loader, String kind, Path dir)
            throws TwoliterException, IOException {
        Optional<SecureBootSigner> signer = request.secureBootSigner();
        if (signer.isEmpty()) {
            return new Loader(loader, Optional.empty());
        }
        if (kind.equals("grub")) {
            steps.log().warn(request.module() + ": GRUB's EFI image is signed for Secure Boot, but under Secure Boot the"
                    + " SDK's GRUB loads a kernel only through shim's verification protocol, and the image has no"
                    + " shim: with Secure Boot enforced it stops at \"shim_lock protocol not found\". Use bootloader uki"
                    + " to boot with Secure Boot enforced.");
        }
        steps.log().info("Signing " + request.module() + "'s " + DefaultEfiLoader.path(request.arch()) + " (" + kind
                + ") for Secure Boot with " + signer.get().subject());
        byte[] signed = signer.get().sign(Files.readAllBytes(loader), request.module() + "'s " + kind
                + " EFI executable");
        AtomicFiles.deleteTree(dir);
        Path out = Files.createDirectories(dir).resolve(loader.getFileName().toString());
        AtomicFiles.write(out, signed);
        return new Loader(out, Optional.of(new Signed(kind, DefaultEfiLoader.path(request.arch()), Digests.sha256(signed),
                signer.get().subject(), signer.get().certificateSha256())));
    }
}
