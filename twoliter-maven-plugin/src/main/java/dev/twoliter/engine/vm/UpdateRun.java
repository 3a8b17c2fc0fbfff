package dev.twoliter.engine.vm;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.bank.BankState;
import dev.twoliter.engine.image.ImageOptions;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.update.UpdateCheck;
import dev.twoliter.engine.update.UpdateRepositoryStore;
import dev.twoliter.engine.update.UpdateVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * twoliter:run's update mode: a machine whose disk lives on between runs checks its update
 * repository, writes a newer version into the bank it is not running, tries that bank once and
 * boots; when the try is not confirmed, it boots again and the loader (GRUB, or systemd-boot for
 * UKI images) falls back. Each run ends by saying which bank booted, with which version, and why.
 */
public final class UpdateRun {
    /**
     * @param run the boot as a plain run would do it (image, firmware, expectation, timeouts)
     * @param buildManifest the variant's build manifest (the disk's partitions)
     * @param diskDir where the kept disk lives
     * @param source the update repository; empty: boot the kept disk as it is
     */
    public record Request(VmRunRequest run, String variant, String arch, String builtVersion, Path buildManifest,
            Path diskDir, boolean resetDisk, Optional<Source> source, Instant now, BuildLog log) {}

    /** Where updates come from: the repository, the root the machine trusts, its wave seed. */
    public record Source(UpdateRepositoryStore store, byte[] trustedRoot, int seed) {}

    /** The file run-vm.sh leaves the boot state in after a boot of a kept disk. */
    static final String STATE_OUTPUT = "boot-state";

    private final VmRun vm;

    public UpdateRun(VmRun vm) {
        this.vm = vm;
    }

    public void run(Request request) throws TwoliterException, IOException {
        VmRunRequest run = request.run();
        BankChooser chooser = chooser(run);
        DiskLayout layout = DiskLayout.read(request.buildManifest());
        // The repository is checked before a disk is made or reset: a refusal leaves the kept disk (if
        // any) as it was. A new disk's check starts from the trusted root alone, in a staging directory
        // that becomes the disk's once the disk is made.
        boolean fresh = request.resetDisk() || !PersistentDisk.exists(request.diskDir());
        Optional<PersistentDisk> kept = fresh ? Optional.empty() : Optional.of(PersistentDisk.open(request.diskDir(),
                run.image().osImage(), request.builtVersion(), false, chooser));
        Bank running = kept.isEmpty() ? Bank.A : chooser.next(kept.get().state(), kept.get());
        Path staged = run.workDir().resolve("update-state");
        AtomicFiles.deleteTree(staged);
        Optional<UpdateCheck.Found> found = check(request, kept, running, chooser,
                kept.map(PersistentDisk::tufState).orElse(staged));
        PersistentDisk disk = kept.isPresent() ? kept.get() : PersistentDisk.open(request.diskDir(),
                run.image().osImage(), request.builtVersion(), true, chooser);
        if (kept.isEmpty() && Files.isDirectory(staged)) {
            disk.adoptTufState(staged);
        }
        if (found.isEmpty()) {
            VmRun.Boot boot = boot(request, chooser, disk, layout, Optional.empty(), Optional.empty());
            report(request, chooser, disk, boot, Optional.empty());
            return;
        }
        Bank target = running.other();
        String version = found.get().update().version().toString();
        request.log().info(run.module() + ": writing " + version + " into bank " + target + " (bank " + running
                + " runs " + disk.version(running).orElse("?") + ") and trying it once");
        VmRun.Boot tried = boot(request, chooser, disk, layout, Optional.of(target), found);
        if (chooser.confirmed(disk.state(), target)) {
            report(request, chooser, disk, tried, Optional.of("the OS in bank " + target + " confirmed the update to "
                    + version));
            return;
        }
        disk.markFailed(version);
        String why = tried.failure().orElse("the OS did not confirm its boot");
        String loader = chooser.loaderName();
        request.log().warn(run.module() + ": " + version + " in bank " + target + " did not confirm its boot (" + why
                + "); booting again, so that " + loader + " falls back to bank " + running);
        VmRun.Boot fallback = boot(request, chooser, disk, layout, Optional.empty(), Optional.empty());
        boolean fellBack = chooser.recordedFailure(disk.state(), target)
                && chooser.next(disk.state(), disk) == running;
        throw new TwoliterException(run.module() + ": the update to " + version + " failed: bank " + target
                + " was tried once and " + why + ". " + (fellBack ? loader + " fell back to bank " + running + " ("
                + disk.version(running).orElse("?") + "), which " + (fallback.failure().isEmpty() ? "booted"
                : "did not boot either: " + fallback.failure().get()) : loader + " did not record the fallback")
                + ". " + version + " is not tried again on this disk (twoliter.run.resetDisk=true starts over)."
                + " Console of the failed try: " + tried.outcome().logFile());
    }

    /** The loader of a kept disk made from this image; refuses images the update mode cannot keep. */
    static BankChooser chooser(VmRunRequest run) throws TwoliterException {
        ImageOptions.Bootloader bootloader = run.image().bootloader();
        if ((bootloader != ImageOptions.Bootloader.GRUB && bootloader != ImageOptions.Bootloader.UKI)
                || !run.image().diskFormat().equals("raw") || run.image().compression() != ImageOptions.Compression.ZSTD) {
            throw new TwoliterException(run.module() + ": the update mode of twoliter:run needs an image with the"
                    + " grub or uki bootloader, in-place updates and the raw format compressed with zstd (the"
                    + " defaults); this one has bootloader " + bootloader + ", format " + run.image().diskFormat()
                    + " and compression " + run.image().compression() + ".");
        }
        return bootloader == ImageOptions.Bootloader.UKI ? new SystemdBootBankChooser() : new GrubBankChooser();
    }

    /** @param disk the kept disk; empty: the disk this run makes (bank A with the built version) */
    private Optional<UpdateCheck.Found> check(Request request, Optional<PersistentDisk> disk, Bank running,
            BankChooser chooser, Path tufState) throws TwoliterException, IOException {
        if (request.source().isEmpty()) {
            return Optional.empty();
        }
        String current = disk.flatMap(d -> d.version(running)).orElse(request.builtVersion());
        UpdateVersion version = UpdateVersion.parse(current).orElseThrow(() -> new TwoliterException(
                request.run().module() + ": bank " + running + " holds version " + current + ", which is not a"
                        + " semantic version; update clients cannot compare it with the repository's."));
        Path work = request.run().workDir().resolve("update-check");
        AtomicFiles.deleteTree(work);
        Files.createDirectories(work);
        Source source = request.source().get();
        Optional<UpdateCheck.Found> found = UpdateCheck.run(new UpdateCheck.Request(request.variant(), request.arch(),
                version, source.seed(), chooser.bootsUkis(), running.other(),
                source.trustedRoot(), tufState, work, request.now(), request.log()), source.store());
        if (found.isEmpty()) {
            request.log().info(request.run().module() + ": no update newer than " + current + " for seed "
                    + source.seed());
            return found;
        }
        String newer = found.get().update().version().toString();
        if (disk.filter(d -> d.failedBefore(newer)).isPresent()) {
            request.log().warn(request.run().module() + ": " + newer + " failed on this disk before; it is not tried"
                    + " again");
            return Optional.empty();
        }
        return found;
    }

    /** One boot of the kept disk: optionally an update written into {@code target} and tried; kept after. */
    private VmRun.Boot boot(Request request, BankChooser chooser, PersistentDisk disk, DiskLayout layout,
            Optional<Bank> target, Optional<UpdateCheck.Found> update) throws TwoliterException, IOException {
        byte[] current = disk.state();
        String module = request.run().module();
        DiskSession.Builder session = new DiskSession.Builder(chooser.kind(), layout, module, BankState.ESP_NAME,
                chooser.stateToLocate(disk.stateFile()));
        if (target.isPresent() && update.isPresent()) {
            UpdateCheck.Found u = update.get();
            session.bankImage("root", target.get().partitionLabel(Bank.Part.ROOT), u.root());
            session.bankImage("hash", target.get().partitionLabel(Bank.Part.HASH), u.hash());
            session.payloadCompression(compression(u.update().images().root()));
            chooser.prepareTry(current, target.get(), u.boot(), request.run().workDir(), session);
        }
        VmRun.Boot boot = vm.boot(request.run().withSession(disk.image(), session.build()));
        Path image = boot.outputs().resolve(PersistentDisk.IMAGE);
        Path state = boot.outputs().resolve(STATE_OUTPUT);
        if (!boot.outcome().succeeded() || !Files.isRegularFile(image) || !Files.isRegularFile(state)) {
            throw new TwoliterException(module + ": the kept disk could not be booted; it was not changed. Last lines"
                    + " of the log:\n    " + String.join("\n    ", boot.outcome().logTail(25)) + "\nFull log: "
                    + boot.outcome().logFile());
        }
        disk.commit(image, state, target.filter(t -> update.isPresent()),
                update.map(u -> u.update().version().toString()));
        return boot;
    }

    /** The compression of a published image, from what its target name ends with. */
    static String compression(String targetName) {
        if (targetName.endsWith(".zst")) {
            return "zstd";
        }
        return targetName.endsWith(".lz4") ? "lz4" : "none";
    }

    private void report(Request request, BankChooser chooser, PersistentDisk disk, VmRun.Boot boot,
            Optional<String> why) throws TwoliterException, IOException {
        byte[] state = disk.state();
        Bank booted = chooser.next(state, disk);
        vm.judge(request.run(), boot);
        request.log().info(request.run().module() + ": bank " + booted + " (" + disk.version(booted).orElse("?")
                + ") is the confirmed bank" + why.map(w -> ": " + w).orElse("")
                + chooser.failedTry(state).map(f -> "; bank " + f + "'s last try failed").orElse(""));
    }
}
