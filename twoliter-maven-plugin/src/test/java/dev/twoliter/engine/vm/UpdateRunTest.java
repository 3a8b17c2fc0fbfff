package dev.twoliter.engine.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.BankState;
import dev.twoliter.engine.bank.GrubEnvironmentBlock;
import dev.twoliter.engine.image.BootableImage;
import dev.twoliter.engine.image.ImageOptions;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.FakeSdkContainers;
import dev.twoliter.engine.sdk.StepScriptContract;
import dev.twoliter.engine.update.PublishUpdate;
import dev.twoliter.engine.update.PublishUpdateRequest;
import dev.twoliter.engine.update.UpdatePayloads;
import dev.twoliter.engine.update.UpdateRepositoryKeys;
import dev.twoliter.engine.update.UpdateRepositoryStore;
import dev.twoliter.engine.update.UpdateVersion;
import dev.twoliter.engine.update.WavePolicy;
import dev.twoliter.engine.update.tuf.ExpirationPolicy;
import dev.twoliter.engine.update.tuf.TufKeyType;
import dev.twoliter.engine.update.tuf.TufRole;
import dev.twoliter.engine.update.tuf.TufSigningKey;
import dev.twoliter.maven.MavenTerms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The update mode's decisions against scripted boots: what is written, tried, confirmed or rolled back. */
class UpdateRunTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private final FakeSdkContainers containers = new FakeSdkContainers();
    private final RecordingLog log = new RecordingLog();
    private Path keys;
    private Path server;
    private Path manifest;

    @BeforeEach
    void repository() throws Exception {
        keys = dir.resolve("keys");
        UpdateRepositoryKeys.generate(keys, TufKeyType.ED25519, Optional.empty(), Duration.ofDays(365), NOW);
        server = dir.resolve("server");
        publish("1.0.0");
        publish("1.1.0");
        manifest = Files.writeString(dir.resolve("os.variant.json"), "{\"image\":{\"os-disk\":{\"size-mib\":1024,"
                + "\"partitions\":[" + part("EFI-SYSTEM", 5, 5) + "," + part("BOTTLEROCKET-BOOT-A", 10, 20) + ","
                + part("BOTTLEROCKET-ROOT-A", 30, 460) + "," + part("BOTTLEROCKET-HASH-A", 490, 5) + ","
                + part("BOTTLEROCKET-BOOT-B", 500, 20) + "," + part("BOTTLEROCKET-ROOT-B", 520, 460) + ","
                + part("BOTTLEROCKET-HASH-B", 980, 5) + "]}}}");
    }

    private static String part(String label, int start, int size) {
        return "{\"label\":\"" + label + "\",\"start-mib\":" + start + ",\"size-mib\":" + size + "}";
    }

    private void publish(String version) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images-" + version));
        UpdatePayloads.Payload[] p = new UpdatePayloads.Payload[3];
        String[] names = {"boot", "root", "hash"};
        for (int i = 0; i < 3; i++) {
            p[i] = new UpdatePayloads.Payload(Files.writeString(images.resolve(names[i]), names[i] + version),
                    "ext4.zst");
        }
        Map<TufRole, List<TufSigningKey>> signers = new EnumMap<>(TufRole.class);
        for (TufRole role : List.of(TufRole.TARGETS, TufRole.SNAPSHOT, TufRole.TIMESTAMP)) {
            signers.put(role, List.of(TufSigningKey.load(UpdateRepositoryKeys.keyFile(keys, role), Optional.empty(),
                    "none")));
        }
        UpdateVersion v = UpdateVersion.parse(version).orElseThrow();
        PublishUpdate.run(new PublishUpdateRequest("os", "x86_64", v, v, new UpdatePayloads(p[0], p[1], p[2]),
                keys.resolve(UpdateRepositoryKeys.ROOT_FILE), signers, ExpirationPolicy.defaults(),
                WavePolicy.immediate(), NOW, Files.createDirectories(dir.resolve("publish-" + version)),
                BuildLog.SILENT), store());
    }

    private UpdateRepositoryStore store() {
        return new UpdateRepositoryStore() {
            @Override
            public String location() {
                return server.toString();
            }

            @Override
            public boolean fetch(String path, long maxBytes, Path target) throws TwoliterException {
                try {
                    Path file = server.resolve(path);
                    if (!Files.isRegularFile(file) || Files.size(file) > maxBytes) {
                        return false;
                    }
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    return true;
                } catch (IOException e) {
                    throw new TwoliterException(e.toString());
                }
            }

            @Override
            public void put(String path, Path file) throws TwoliterException {
                try {
                    Files.createDirectories(server.resolve(path).getParent());
                    Files.copy(file, server.resolve(path), StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new TwoliterException(e.toString());
                }
            }
        };
    }

    private UpdateRun.Request request(boolean update) throws Exception {
        Path os = Files.writeString(dir.resolve("os-1.0.0-os.img.zst"), "disk");
        BootableImage image = new BootableImage(ImageOptions.Bootloader.GRUB, true, os, Optional.empty(), "raw",
                ImageOptions.Compression.ZSTD);
        VmRunRequest run = new VmRunRequest("g:os", image, Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(60), 512, "tcg", "twoliter-sdk:0.3.0", false, dir.resolve("work"),
                MavenTerms.INSTANCE);
        return new UpdateRun.Request(run, "os", "x86_64", "1.0.0", manifest, dir.resolve("run-disk"), false,
                update ? Optional.of(new UpdateRun.Source(store(), Files.readAllBytes(keys.resolve(
                        UpdateRepositoryKeys.ROOT_FILE)), 0)) : Optional.empty(), NOW.plusSeconds(60), log);
    }

    /** A boot that leaves {@code after} (from the state it was given) as GRUB and the OS would. */
    private interface Machine {
        GrubEnvironmentBlock after(GrubEnvironmentBlock given);
    }

    private void boots(String console, Machine machine) {
        containers.then((step, out, text) -> {
            text.append(console);
            Path given = step.inputs().getOrDefault("/work/in/grubenv-next", step.inputs().get("/work/in/grubenv-current"));
            Files.write(out.resolve("grubenv"), machine.after(GrubEnvironmentBlock.parse(Files.readAllBytes(given)))
                    .render());
            Files.writeString(out.resolve("os.img.zst"), "disk after " + containers.started().size());
            Files.writeString(out.resolve("run.toml"), "result = \"exited\"\nqemu-exit = 0\n");
            StepScriptContract.check(step);
            return 0;
        });
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
        assertThat(Files.readString(step.inputs().get("/work/in/root.payload"))).isEqualTo("root1.1.0");
        assertThat(GrubEnvironmentBlock.parse(Files.readAllBytes(step.inputs().get("/work/in/grubenv-next")))
                .get(BankState.TRY)).contains("B");
        assertThat(log.lines()).anyMatch(l -> l.contains("writing 1.1.0 into bank B (bank A runs 1.0.0)"))
                .anyMatch(l -> l.contains("bank B (1.1.0) is the confirmed bank: the OS in bank B confirmed"));
        assertThat(Files.readString(dir.resolve("run-disk/os.img.zst"))).isEqualTo("disk after 1");
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
        Path timestamp = server.resolve("os/x86_64/timestamp.json");
        Files.writeString(timestamp, Files.readString(timestamp).replace("\"version\":2", "\"version\":9"));
        assertThatThrownBy(() -> new UpdateRun(new VmRun(containers, log)).run(request(true)))
                .hasMessageContaining("was refused").hasMessageContaining("The disk was not changed");
        assertThat(containers.started()).hasSize(1);
        assertThat(Files.readString(dir.resolve("run-disk/os.img.zst"))).isEqualTo("disk after 1");
    }
}
