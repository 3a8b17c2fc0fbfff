package dev.twoliter.engine.vm;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.bank.BankState;
import dev.twoliter.engine.bank.BankSwitch;
import dev.twoliter.engine.bank.GrubEnvironmentBlock;
import dev.twoliter.engine.image.ImageOptions;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.update.UpdateCheck;
import dev.twoliter.engine.update.UpdateRepositoryStore;
import dev.twoliter.engine.update.UpdateVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * twoliter:run's update mode: a machine whose disk lives on between runs checks its update
 * repository, writes a newer version into the bank it is not running, tries that bank once and
 * boots; when the try is not confirmed, it boots again and GRUB falls back. Each run ends by saying
 * which bank booted, with which version, and why.
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

    private final VmRun vm;

    public UpdateRun(VmRun vm) {
        this.vm = vm;
    }

    public void run(Request request) throws TwoliterException, IOException {
        VmRunRequest run = request.run();
        if (run.image().bootloader() != ImageOptions.Bootloader.GRUB || !run.image().diskFormat().equals("raw")
                || run.image().compression() != ImageOptions.Compression.ZSTD) {
            throw new TwoliterException(run.module() + ": the update mode of twoliter:run needs an image with the"
                    + " grub bootloader, in-place updates and the raw format compressed with zstd (the defaults);"
                    + " this one has bootloader " + run.image().bootloader() + ", format " + run.image().diskFormat()
                    + " and compression " + run.image().compression() + ".");
        }
        DiskLayout layout = DiskLayout.read(request.buildManifest());
        // The repository is checked before a disk is made or reset: a refusal leaves the kept disk (if
        // any) as it was. A new disk's check starts from the trusted root alone, in a staging directory
        // that becomes the disk's once the disk is made.
        boolean fresh = request.resetDisk() || !PersistentDisk.exists(request.diskDir());
        Optional<PersistentDisk> kept = fresh ? Optional.empty() : Optional.of(PersistentDisk.open(request.diskDir(),
                run.image().osImage(), request.builtVersion(), false));
        Bank running = kept.isEmpty() ? Bank.A
                : Bank.parse(kept.get().state().get(BankState.BANK).orElse("A")).orElse(Bank.A);
        Path staged = run.workDir().resolve("update-state");
        AtomicFiles.deleteTree(staged);
        Optional<UpdateCheck.Found> found = check(request, kept, running,
                kept.map(PersistentDisk::tufState).orElse(staged));
        PersistentDisk disk = kept.isPresent() ? kept.get() : PersistentDisk.open(request.diskDir(),
                run.image().osImage(), request.builtVersion(), true);
        if (kept.isEmpty() && Files.isDirectory(staged)) {
            disk.adoptTufState(staged);
        }
        if (found.isEmpty()) {
            VmRun.Boot boot = boot(request, disk, layout, Optional.empty(), Optional.empty());
            report(request, disk, boot, Optional.empty());
            return;
        }
        Bank target = running.other();
        String version = found.get().update().version().toString();
        request.log().info(run.module() + ": writing " + version + " into bank " + target + " (bank " + running
                + " runs " + disk.version(running).orElse("?") + ") and trying it once");
        VmRun.Boot tried = boot(request, disk, layout, Optional.of(target), found);
        GrubEnvironmentBlock after = disk.state();
        if (after.get(BankState.TRY).filter(t -> t.equals(target.name())).isEmpty()
                && after.get(BankState.BANK).filter(b -> b.equals(target.name())).isPresent()) {
            report(request, disk, tried, Optional.of("the OS in bank " + target + " confirmed the update to "
                    + version));
            return;
        }
        disk.markFailed(version);
        String why = tried.failure().orElse("the OS did not confirm its boot");
        request.log().warn(run.module() + ": " + version + " in bank " + target + " did not confirm its boot (" + why
                + "); booting again, so that GRUB falls back to bank " + running);
        VmRun.Boot fallback = boot(request, disk, layout, Optional.empty(), Optional.empty());
        String fellBack = disk.state().get(BankState.FALLBACK).orElse("");
        throw new TwoliterException(run.module() + ": the update to " + version + " failed: bank " + target
                + " was tried once and " + why + ". " + (fellBack.equals(target.name()) ? "GRUB fell back to bank "
                + running + " (" + disk.version(running).orElse("?") + "), which " + (fallback.failure().isEmpty()
                ? "booted" : "did not boot either: " + fallback.failure().get()) : "GRUB did not record the"
                + " fallback") + ". " + version + " is not tried again on this disk (twoliter.run.resetDisk=true"
                + " starts over). Console of the failed try: " + tried.outcome().logFile());
    }

    /** @param disk the kept disk; empty: the disk this run makes (bank A with the built version) */
    private Optional<UpdateCheck.Found> check(Request request, Optional<PersistentDisk> disk, Bank running,
            Path tufState) throws TwoliterException, IOException {
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
                version, source.seed(), source.trustedRoot(), tufState, work, request.now(), request.log()),
                source.store());
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
    private VmRun.Boot boot(Request request, PersistentDisk disk, DiskLayout layout, Optional<Bank> target,
            Optional<UpdateCheck.Found> update) throws TwoliterException, IOException {
        GrubEnvironmentBlock current = disk.state();
        Map<String, DiskSession.Partition> partitions = new HashMap<>();
        partitions.put("esp", partition(layout, BankState.ESP_NAME, request));
        Map<String, Path> payloads = new HashMap<>();
        Optional<Path> next = Optional.empty();
        if (target.isPresent() && update.isPresent()) {
            for (Bank.Part part : Bank.Part.values()) {
                partitions.put(part.name().toLowerCase(java.util.Locale.ROOT),
                        partition(layout, target.get().partitionLabel(part), request));
            }
            payloads.put("boot", update.get().boot());
            payloads.put("root", update.get().root());
            payloads.put("hash", update.get().hash());
            Path file = request.run().workDir().resolve("boot-state-next");
            AtomicFiles.write(file, BankSwitch.tryOnce(current, target.get()).render());
            next = Optional.of(file);
        }
        DiskSession session = new DiskSession(disk.stateFile(), next, payloads, partitions,
                update.map(u -> compression(u.update().images().root())).orElse("none"));
        VmRun.Boot boot = vm.boot(request.run().withSession(disk.image(), session));
        Path image = boot.outputs().resolve(PersistentDisk.IMAGE);
        Path state = boot.outputs().resolve("grubenv");
        if (!boot.outcome().succeeded() || !Files.isRegularFile(image) || !Files.isRegularFile(state)
                || Files.size(state) != GrubEnvironmentBlock.SIZE) {
            throw new TwoliterException(request.run().module() + ": the kept disk could not be booted; it was not"
                    + " changed. Last lines of the log:\n    " + String.join("\n    ", boot.outcome().logTail(25))
                    + "\nFull log: " + boot.outcome().logFile());
        }
        disk.commit(image, state, target.filter(t -> update.isPresent()),
                update.map(u -> u.update().version().toString()));
        return boot;
    }

    private static DiskSession.Partition partition(DiskLayout layout, String label, Request request)
            throws TwoliterException {
        return layout.partition(label).orElseThrow(() -> new TwoliterException(request.run().module()
                + ": the disk has no partition " + label + "; the update mode needs an image with in-place updates"
                + " (two banks)."));
    }

    /** The compression of a published image, from what its target name ends with. */
    static String compression(String targetName) {
        if (targetName.endsWith(".zst")) {
            return "zstd";
        }
        return targetName.endsWith(".lz4") ? "lz4" : "none";
    }

    private void report(Request request, PersistentDisk disk, VmRun.Boot boot, Optional<String> why)
            throws TwoliterException, IOException {
        GrubEnvironmentBlock state = disk.state();
        Bank booted = Bank.parse(state.get(BankState.BANK).orElse("A")).orElse(Bank.A);
        vm.judge(request.run(), boot);
        request.log().info(request.run().module() + ": bank " + booted + " (" + disk.version(booted).orElse("?")
                + ") is the confirmed bank" + why.map(w -> ": " + w).orElse("")
                + state.get(BankState.FALLBACK).filter(f -> !f.isEmpty()).map(f -> "; bank " + f
                        + "'s last try failed").orElse(""));
    }
}
