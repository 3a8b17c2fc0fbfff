package dev.twoliter.engine.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.bank.BankState;
import dev.twoliter.engine.bank.GrubEnvironmentBlock;
import dev.twoliter.engine.bank.BankSwitch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistentDiskTest {
    private static final BankChooser GRUB = new GrubBankChooser();
    @TempDir
    Path dir;

    @Test
    void aNewDiskHoldsTheBuiltVersionInBankAAndLivesOnUntilReset() throws Exception {
        Path built = Files.writeString(dir.resolve("os.img.zst"), "built image 1.0.0");
        Path kept = dir.resolve("run-disk");
        PersistentDisk disk = PersistentDisk.open(kept, built, "1.0.0", false, GRUB);
        assertThat(disk.version(Bank.A)).contains("1.0.0");
        assertThat(disk.version(Bank.B)).isEmpty();
        assertThat(disk.state()).isEqualTo(BankState.initialBlock().render());

        Path image = Files.writeString(dir.resolve("after.zst"), "disk after the boot");
        Path state = Files.write(dir.resolve("state"), BankSwitch.tryOnce(BankState.initialBlock(), Bank.B).render());
        disk.commit(image, state, Optional.of(Bank.B), Optional.of("1.1.0"));
        disk.markFailed("1.2.0");

        PersistentDisk again = PersistentDisk.open(kept, Files.writeString(built, "built image 1.1.0"), "1.1.0",
                false, GRUB);
        assertThat(again.version(Bank.B)).contains("1.1.0");
        assertThat(again.version(Bank.A)).contains("1.0.0");
        assertThat(again.failedBefore("1.2.0")).isTrue();
        assertThat(GrubEnvironmentBlock.parse(again.state()).get(BankState.TRY)).contains("B");
        assertThat(Files.readString(again.image())).isEqualTo("disk after the boot");

        PersistentDisk reset = PersistentDisk.open(kept, built, "1.1.0", true, GRUB);
        assertThat(reset.version(Bank.A)).contains("1.1.0");
        assertThat(reset.failedBefore("1.2.0")).isFalse();
    }

    @Test
    void refusesABootStateThatIsNotAnEnvironmentBlockAndKeepsTheDisk() throws Exception {
        Path built = Files.writeString(dir.resolve("os.img.zst"), "built");
        PersistentDisk disk = PersistentDisk.open(dir.resolve("run-disk"), built, "1.0.0", false, GRUB);
        Path image = Files.writeString(dir.resolve("after.zst"), "after");
        Path state = Files.writeString(dir.resolve("state"), "garbage");
        assertThatThrownBy(() -> disk.commit(image, state, Optional.empty(), Optional.empty()))
                .hasMessageContaining("not a GRUB environment block").hasMessageContaining("was not changed");
        assertThat(Files.readString(disk.image())).isEqualTo("built");
    }

    @Test
    void aDiskMadeForOneLoaderIsNotUsedWithAnother() throws Exception {
        Path built = Files.writeString(dir.resolve("os.img.zst"), "built");
        Path kept = dir.resolve("run-disk");
        PersistentDisk.open(kept, built, "1.0.0", false, GRUB);
        assertThatThrownBy(() -> PersistentDisk.open(kept, built, "1.0.0", false, new SystemdBootBankChooser()))
                .hasMessageContaining("whose loader is grub, but this image's is uki")
                .hasMessageContaining("twoliter.run.resetDisk=true");
        PersistentDisk uki = PersistentDisk.open(kept, built, "1.0.0", true, new SystemdBootBankChooser());
        assertThat(new String(uki.state(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("twoliter-a.efi\n");
    }

    @Test
    void aDamagedRecordSaysHowToStartOver() throws Exception {
        Path built = Files.writeString(dir.resolve("os.img.zst"), "built");
        Path kept = dir.resolve("run-disk");
        PersistentDisk.open(kept, built, "1.0.0", false, GRUB);
        Files.writeString(kept.resolve("disk.toml"), "built-from = 3\n");
        assertThatThrownBy(() -> PersistentDisk.open(kept, built, "1.0.0", false, GRUB))
                .hasMessageContaining("twoliter.run.resetDisk=true");
    }

    @Test
    void theCompressionOfAnImageComesFromItsTargetName() {
        assertThat(UpdateRun.compression("os-x86_64-1.0.0-root.ext4.zst")).isEqualTo("zstd");
        assertThat(UpdateRun.compression("os-x86_64-1.0.0-root.ext4.lz4")).isEqualTo("lz4");
        assertThat(UpdateRun.compression("os-x86_64-1.0.0-root.ext4")).isEqualTo("none");
    }
}
