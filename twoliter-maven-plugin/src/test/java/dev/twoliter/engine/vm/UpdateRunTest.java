package dev.twoliter.engine.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.bank.BankState;
import dev.twoliter.engine.bank.GrubEnvironmentBlock;
import dev.twoliter.engine.image.BootableImage;
import dev.twoliter.engine.image.ImageOptions;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.FakeSdkContainers;
import dev.twoliter.engine.sdk.StepScriptContract;
import dev.twoliter.engine.update.UpdateRepositoryFixture;
import dev.twoliter.maven.MavenTerms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The update mode's decisions against scripted boots: what is written, tried, confirmed or rolled back. */
class UpdateRunTest {
    private static final Instant NOW = UpdateRepositoryFixture.NOW;

    @TempDir
    Path dir;

    private final FakeSdkContainers containers = new FakeSdkContainers();
    private final RecordingLog log = new RecordingLog();
    private UpdateRepositoryFixture repo;
    private Path manifest;

    @BeforeEach
    void repository() throws Exception {
        repo = new UpdateRepositoryFixture(dir);
        repo.publish("1.0.0");
        repo.publish("1.1.0");
        manifest = Files.writeString(dir.resolve("os.variant.json"), "{\"image\":{\"os-disk\":{\"size-mib\":1024,"
                + "\"partitions\":[" + part("EFI-SYSTEM", 5, 5) + "," + part("BOTTLEROCKET-BOOT-A", 10, 20) + ","
                + part("BOTTLEROCKET-ROOT-A", 30, 460) + "," + part("BOTTLEROCKET-HASH-A", 490, 5) + ","
                + part("BOTTLEROCKET-BOOT-B", 500, 20) + "," + part("BOTTLEROCKET-ROOT-B", 520, 460) + ","
                + part("BOTTLEROCKET-HASH-B", 980, 5) + "]}}}");
    }

    private static String part(String label, int start, int size) {
        return "{\"label\":\"" + label + "\",\"start-mib\":" + start + ",\"size-mib\":" + size + "}";
    }

    private UpdateRun.Request request(boolean update) throws Exception {
        return request(update, false);
    }

    private UpdateRun.Request request(boolean update, boolean resetDisk) throws Exception {
        return request(update, resetDisk, ImageOptions.Bootloader.GRUB, repo);
    }

    private UpdateRun.Request request(boolean update, ImageOptions.Bootloader bootloader,
            UpdateRepositoryFixture repo) throws Exception {
        return request(update, false, bootloader, repo);
    }

    private UpdateRun.Request request(boolean update, boolean resetDisk, ImageOptions.Bootloader bootloader,
            UpdateRepositoryFixture repo) throws Exception {
        Path os = Files.writeString(dir.resolve("os-1.0.0-os.img.zst"), "disk");
        BootableImage image = new BootableImage(bootloader, true, os, Optional.empty(), "raw",
                ImageOptions.Compression.ZSTD);
        VmRunRequest run = new VmRunRequest("g:os", image, Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(60), 512, "tcg", "twoliter-sdk:0.3.0", false, dir.resolve("work"),
                MavenTerms.INSTANCE);
        return new UpdateRun.Request(run, "os", "x86_64", "1.0.0", manifest, dir.resolve("run-disk"), resetDisk,
                update ? Optional.of(new UpdateRun.Source(repo.store(), repo.trustedRootBytes(), 0))
                        : Optional.empty(), NOW.plusSeconds(60), log);
    }

    /** A boot that leaves {@code after} (from the state it was given) as GRUB and the OS would. */
    private interface Machine {
        GrubEnvironmentBlock after(GrubEnvironmentBlock given);
    }

    private void boots(String console, Machine machine) {
        containers.then((step, out, text) -> {
            text.append(console);
            Path given = step.inputs().getOrDefault("/work/in/grubenv-next", step.inputs().get("/work/in/grubenv-current"));
            Files.write(out.resolve("boot-state"), machine.after(GrubEnvironmentBlock.parse(Files.readAllBytes(given)))
                    .render());
            Files.writeString(out.resolve("os.img.zst"), "disk after " + containers.started().size());
            Files.writeString(out.resolve("run.toml"), "result = \"exited\"\nqemu-exit = 0\n");
            StepScriptContract.check(step);
            return 0;
        });
    }

    /**
     * A boot of a UKI disk: EFI/Linux as run-vm.sh would leave it (the try written), then as
     * systemd-boot and the OS leave it; returns the names after the boot.
     */
    private interface UkiMachine {
        List<String> after(List<String> beforeBoot);
    }

    private final List<String> efiLinux = new ArrayList<>(List.of("twoliter-a.efi"));

    private void bootsUki(String console, UkiMachine machine) {
        containers.then((step, out, text) -> {
            text.append(console);
            String bank = step.environment().get("UKI_TRY_BANK");
            if (bank != null) {
                efiLinux.removeIf(n -> n.startsWith("twoliter-" + bank));
                efiLinux.add("twoliter-" + bank + "+1-0.efi");
            }
            List<String> after = machine.after(List.copyOf(efiLinux));
            efiLinux.clear();
            efiLinux.addAll(after);
            Files.writeString(out.resolve("boot-state"), String.join("\n", after) + "\n");
            Files.writeString(out.resolve("os.img.zst"), "disk after " + containers.started().size());
            Files.writeString(out.resolve("run.toml"), "result = \"exited\"\nqemu-exit = 0\n");
            StepScriptContract.check(step);
            return 0;
        });
    }

    /** systemd-boot counts the try down before it starts it. */
    private static List<String> countDown(List<String> names) {
        return names.stream().map(n -> n.replace("+1-0.efi", "+0-1.efi")).toList();
    }

    private UpdateRepositoryFixture ukiRepository() throws Exception {
        UpdateRepositoryFixture uki = new UpdateRepositoryFixture(Files.createDirectories(dir.resolve("uki-repo")));
        uki.publishUki("1.0.0");
        uki.publishUki("1.1.0");
        return uki;
    }

    private void ukiLayout() throws Exception {
        manifest = Files.writeString(dir.resolve("os.variant.json"), "{\"image\":{\"os-disk\":{\"size-mib\":1024,"
                + "\"partitions\":[" + part("EFI-SYSTEM", 5, 25) + "," + part("BOTTLEROCKET-ROOT-A", 30, 460) + ","
                + part("BOTTLEROCKET-HASH-A", 490, 5) + "," + part("EFI-BACKUP", 495, 25) + ","
                + part("BOTTLEROCKET-ROOT-B", 520, 460) + "," + part("BOTTLEROCKET-HASH-B", 980, 5) + "]}}}");
    }

    @Test
    void aUkiDiskGetsTheBanksUkiAsAOneTryEntryAndKeepsTheConfirmation() throws Exception {
        ukiLayout();
        UpdateRepositoryFixture uki = ukiRepository();
        bootsUki("twoliter-init: BANK=B\n", names -> countDown(names).stream()
                .map(n -> n.equals("twoliter-b+0-1.efi") ? "twoliter-b.efi" : n).toList());
        new UpdateRun(new VmRun(containers, log)).run(request(true, ImageOptions.Bootloader.UKI, uki));

        ContainerStep step = containers.started().get(0);
        assertThat(step.environment()).containsEntry("BOOT_STATE", "uki").containsEntry("UKI_TRY_BANK", "b")
                .containsEntry("ROOT_START_MIB", "520").containsEntry("HASH_START_MIB", "980")
                .containsEntry("ESP_START_MIB", "5").doesNotContainKey("BOOT_START_MIB");
        assertThat(Files.readString(step.inputs().get("/work/in/uki.payload"))).isEqualTo("uki-b image of 1.1.0");
        assertThat(step.inputs()).doesNotContainKeys("/work/in/grubenv-current", "/work/in/boot.payload");
        assertThat(log.lines()).anyMatch(l -> l.contains("bank B (1.1.0) is the confirmed bank: the OS in bank B"
                + " confirmed the update to 1.1.0"));

        // The next run: bank B is newer and confirmed, so systemd-boot boots it; nothing newer is published.
        bootsUki("twoliter-init: BANK=B\n", names -> names);
        new UpdateRun(new VmRun(containers, log)).run(request(true, ImageOptions.Bootloader.UKI, uki));
        assertThat(containers.started().get(1).environment()).doesNotContainKey("UKI_TRY_BANK");
        assertThat(log.lines()).anyMatch(l -> l.contains("no update newer than 1.1.0"));
    }

    @Test
    void anUnconfirmedUkiTryFallsBackToTheConfirmedBank() throws Exception {
        ukiLayout();
        UpdateRepositoryFixture uki = ukiRepository();
        bootsUki("Kernel panic - not syncing: No working init found.\n", UpdateRunTest::countDown);
        bootsUki("twoliter-init: BANK=A\n", names -> names);
        assertThatThrownBy(() -> new UpdateRun(new VmRun(containers, log)).run(request(true,
                ImageOptions.Bootloader.UKI, uki)))
                .hasMessageContaining("the update to 1.1.0 failed: bank B was tried once and the kernel panicked")
                .hasMessageContaining("systemd-boot fell back to bank A (1.0.0), which booted");
        assertThat(efiLinux).containsExactlyInAnyOrder("twoliter-a.efi", "twoliter-b+0-1.efi");
        assertThat(containers.started().get(1).environment()).doesNotContainKey("UKI_TRY_BANK");
    }

    @Test
    void aGrubDiskRefusesAnUpdateForUkiImagesBeforeItBoots() throws Exception {
        UpdateRepositoryFixture uki = ukiRepository();
        assertThatThrownBy(() -> new UpdateRun(new VmRun(containers, log)).run(request(true,
                ImageOptions.Bootloader.GRUB, uki)))
                .hasMessageContaining("Update 1.1.0 is for UKI images")
                .hasMessageContaining("this machine boots GRUB images").hasMessageContaining("The disk was not changed");
        assertThat(containers.started()).isEmpty();
    }

    private static GrubEnvironmentBlock confirm(GrubEnvironmentBlock b) {
        String tried = b.get(BankState.TRY).orElse("");
        return tried.isEmpty() ? b : b.with(BankState.BANK, tried).with(BankState.TRY, "").with(BankState.TRIES, "");
    }

    @Test
    void writesTheNewerVersionIntoTheOtherBankAndReportsTheConfirmation() throws Exception {
        boots("twoliter-init: BANK=B\nreboot: Power down\n", UpdateRunTest::confirm);
        new UpdateRun(new VmRun(containers, log)).run(request(true));

        ContainerStep step = containers.started().get(0);
        assertThat(step.environment()).containsEntry("PERSIST", "true").containsEntry("ROOT_START_MIB", "520")
                .containsEntry("HASH_MIB", "5").containsEntry("ESP_START_MIB", "5")
                .containsEntry("PAYLOAD_COMPRESSION", "zstd");
        assertThat(Files.readString(step.inputs().get("/work/in/root.payload"))).isEqualTo("root image of 1.1.0");
        assertThat(GrubEnvironmentBlock.parse(Files.readAllBytes(step.inputs().get("/work/in/grubenv-next")))
                .get(BankState.TRY)).contains("B");
        assertThat(log.lines()).anyMatch(l -> l.contains("writing 1.1.0 into bank B (bank A runs 1.0.0)"))
                .anyMatch(l -> l.contains("bank B (1.1.0) is the confirmed bank: the OS in bank B confirmed"));
        assertThat(Files.readString(dir.resolve("run-disk/os.img.zst"))).isEqualTo("disk after 1");
        // The new disk's check ran before the disk was made; the disk keeps the metadata it accepted.
        assertThat(Files.readString(dir.resolve("run-disk/tuf/timestamp.json"))).contains("\"version\":2");
        assertThat(dir.resolve("work/update-state")).doesNotExist();
    }

    @Test
    void anUnconfirmedTryBootsAgainFallsBackAndIsNotTriedAgain() throws Exception {
        // The try panics: GRUB had consumed it (tries 0) and nothing confirmed it.
        boots("Kernel panic - not syncing: No working init found.\n", b -> b.with(BankState.TRIES, "0"));
        // The next boot: GRUB falls back to the confirmed bank and records the failed one.
        boots("twoliter-init: BANK=A\ntwoliter-init: FELL_BACK_FROM=B\nreboot: Power down\n",
                b -> b.with(BankState.FALLBACK, b.get(BankState.TRY).orElse("")).with(BankState.TRY, "")
                        .with(BankState.TRIES, ""));
        assertThatThrownBy(() -> new UpdateRun(new VmRun(containers, log)).run(request(true)))
                .hasMessageContaining("the update to 1.1.0 failed: bank B was tried once and the kernel panicked")
                .hasMessageContaining("GRUB fell back to bank A (1.0.0), which booted")
                .hasMessageContaining("not tried again");
        assertThat(containers.started()).hasSize(2);
        assertThat(containers.started().get(1).inputs()).doesNotContainKey("/work/in/root.payload");

        boots("twoliter-init: BANK=A\nreboot: Power down\n", b -> b);
        new UpdateRun(new VmRun(containers, log)).run(request(true));
        assertThat(containers.started().get(2).inputs()).doesNotContainKey("/work/in/root.payload");
        assertThat(log.lines()).anyMatch(l -> l.contains("1.1.0 failed on this disk before; it is not tried again"))
                .anyMatch(l -> l.contains("bank A (1.0.0) is the confirmed bank; bank B's last try failed"));
    }

    @Test
    void aRefusedRepositoryLeavesTheDiskAsItWas() throws Exception {
        boots("twoliter-init: BANK=A\nreboot: Power down\n", b -> b);
        new UpdateRun(new VmRun(containers, log)).run(request(false));
        Path timestamp = repo.server().resolve("os/x86_64/timestamp.json");
        Files.writeString(timestamp, Files.readString(timestamp).replace("\"version\":2", "\"version\":9"));
        assertThatThrownBy(() -> new UpdateRun(new VmRun(containers, log)).run(request(true)))
                .hasMessageContaining("was refused").hasMessageContaining("The disk was not changed");
        assertThat(containers.started()).hasSize(1);
        assertThat(Files.readString(dir.resolve("run-disk/os.img.zst"))).isEqualTo("disk after 1");
    }

    @Test
    void aRefusedRepositoryLeavesEvenADiskToResetAsItWas() throws Exception {
        boots("twoliter-init: BANK=B\nreboot: Power down\n", UpdateRunTest::confirm);
        new UpdateRun(new VmRun(containers, log)).run(request(true));
        Path kept = dir.resolve("run-disk");
        String facts = Files.readString(kept.resolve("disk.toml"));
        byte[] remembered = Files.readAllBytes(kept.resolve("tuf/timestamp.json"));
        Path timestamp = repo.server().resolve("os/x86_64/timestamp.json");
        Files.writeString(timestamp, Files.readString(timestamp).replace("\"version\":2", "\"version\":9"));

        // twoliter.run.resetDisk=true asks for a new disk, but the repository is checked first: the
        // refusal leaves the old disk, its facts and the metadata it remembers.
        assertThatThrownBy(() -> new UpdateRun(new VmRun(containers, log)).run(request(true, true)))
                .hasMessageContaining("was refused").hasMessageContaining("The disk was not changed");
        assertThat(containers.started()).hasSize(1);
        assertThat(Files.readString(kept.resolve("os.img.zst"))).isEqualTo("disk after 1");
        assertThat(Files.readString(kept.resolve("disk.toml"))).isEqualTo(facts).contains("bank-b = \"1.1.0\"");
        assertThat(Files.readAllBytes(kept.resolve("tuf/timestamp.json"))).isEqualTo(remembered);
    }

    @Test
    void aResetDiskStartsFromTheTrustedRootAgain() throws Exception {
        boots("twoliter-init: BANK=B\nreboot: Power down\n", UpdateRunTest::confirm);
        new UpdateRun(new VmRun(containers, log)).run(request(true));
        Path stale = dir.resolve("run-disk/tuf/stale.json");
        Files.writeString(stale, "{}");

        boots("twoliter-init: BANK=B\nreboot: Power down\n", UpdateRunTest::confirm);
        new UpdateRun(new VmRun(containers, log)).run(request(true, true));
        // A new disk with 1.0.0 in bank A, updated again to 1.1.0; only the new check's metadata is kept.
        assertThat(containers.started()).hasSize(2);
        assertThat(containers.started().get(1).inputs()).containsKey("/work/in/root.payload");
        assertThat(stale).doesNotExist();
        assertThat(dir.resolve("run-disk/tuf/timestamp.json")).exists();
    }
}
