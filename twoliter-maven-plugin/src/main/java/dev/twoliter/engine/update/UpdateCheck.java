package dev.twoliter.engine.update;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.update.tuf.TrustedRepository;
import dev.twoliter.engine.update.tuf.TufClient;
import dev.twoliter.engine.update.tuf.TufException;
import dev.twoliter.engine.update.tuf.TufLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The machine's side of an update repository: verifies the metadata from the trusted root (and
 * against what it accepted before), reads the manifest, picks the update for this variant, arch,
 * version and wave seed, and downloads the images for the bank it would write, each checked against the targets
 * metadata before it is kept. Nothing here touches a disk: a refusal leaves the machine as it was.
 *
 * @param stateDir where the accepted metadata is remembered between checks
 */
public final class UpdateCheck {
    /**
     * @param uki whether the machine boots UKIs (systemd-boot) rather than GRUB: an update must be
     *     for the same kind of image
     * @param target the bank the update would be written into, whose boot image is downloaded
     */
    public record Request(String variant, String arch, UpdateVersion current, int seed, boolean uki, Bank target,
            byte[] trustedRoot, Path stateDir, Path workDir, Instant now, BuildLog log) {}

    /**
     * An update to apply: the manifest's entry and its verified (still compressed) images; {@code
     * boot} is the boot partition image (GRUB) or the target bank's UKI.
     */
    public record Found(UpdateManifest.Update update, Path boot, Path root, Path hash) {}

    private UpdateCheck() {}

    public static Optional<Found> run(Request request, UpdateRepositoryStore store) throws TwoliterException {
        if (request.seed() < 0 || request.seed() >= WavePolicy.SEEDS) {
            throw new TwoliterException("The wave seed " + request.seed() + " is outside 0 to "
                    + (WavePolicy.SEEDS - 1) + ".");
        }
        UpdateRepositoryLayout layout = new UpdateRepositoryLayout(request.variant(), request.arch());
        StoreSource metadata = StoreSource.metadata(store, layout, request.workDir());
        StoreSource targets = StoreSource.targets(store, layout, request.workDir());
        TrustedRepository trusted;
        try {
            trusted = TufClient.refresh(metadata, TrustedState.root(request.stateDir(), request.trustedRoot()),
                    TrustedState.previous(request.stateDir()), request.now(), TufLimits.defaults());
        } catch (TufException e) {
            throw new TwoliterException("The update repository at " + store.location() + " was refused: "
                    + e.getMessage() + " The disk was not changed.", e);
        }
        TrustedState.save(request.stateDir(), trusted);
        request.log().info("Update repository " + store.location() + ": targets version " + trusted.targets().version()
                + ", timestamp valid until " + trusted.timestamp().expires());
        UpdateManifest manifest = manifest(trusted, targets, request.workDir());
        Optional<UpdateManifest.Update> chosen = manifest.choose(request.variant(), request.arch(), request.current(),
                request.seed(), request.now());
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        UpdateManifest.Images images = chosen.get().images();
        if (images.forUki() != request.uki()) {
            throw new TwoliterException("Update " + chosen.get().version() + " is for " + kind(images.forUki())
                    + ", but this machine boots " + kind(request.uki()) + "; an update cannot change the boot loader"
                    + " (the disk layouts differ). Publish it under another variant, or install the new image. The"
                    + " disk was not changed.");
        }
        try {
            return Optional.of(new Found(chosen.get(),
                    trusted.fetchTarget(images.bootImageFor(request.target()), targets,
                            request.workDir().resolve("boot.payload")),
                    trusted.fetchTarget(images.root(), targets, request.workDir().resolve("root.payload")),
                    trusted.fetchTarget(images.hash(), targets, request.workDir().resolve("hash.payload"))));
        } catch (TufException e) {
            throw new TwoliterException("Update " + chosen.get().version() + " from the update repository at "
                    + store.location() + " was refused: " + e.getMessage() + " The disk was not changed.", e);
        }
    }

    private static String kind(boolean uki) {
        return uki ? "UKI images (systemd-boot, one UKI per bank)" : "GRUB images (a boot partition per bank)";
    }

    private static UpdateManifest manifest(TrustedRepository trusted, StoreSource targets, Path workDir)
            throws TwoliterException {
        Path file = workDir.resolve(UpdateManifest.TARGET_NAME);
        try {
            trusted.fetchTarget(UpdateManifest.TARGET_NAME, targets, file);
            return UpdateManifest.parse(Files.readAllBytes(file), "The update repository's "
                    + UpdateManifest.TARGET_NAME);
        } catch (TufException e) {
            throw new TwoliterException("The update repository's " + UpdateManifest.TARGET_NAME + " was refused: "
                    + e.getMessage() + " The disk was not changed.", e);
        } catch (IOException e) {
            throw new TwoliterException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }
}
