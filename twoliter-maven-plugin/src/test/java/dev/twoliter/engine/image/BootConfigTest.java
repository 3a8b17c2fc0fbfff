package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BootConfigTest {
    private static final String HASH = "cd".repeat(32);
    private static final String SALT = "ef".repeat(32);
    private static final String TABLE_TAIL = " 4096 4096 1000 1 sha256 " + HASH + " " + SALT
            + " 2 restart_on_corruption ignore_zero_blocks";

    @Test
    void grubFindsTheBankAtBootAndTheManifestNamesBankA() {
        String grub = BootConfig.grubConfig("'Greet OS 1.0'", List.of("console=ttyS0"), 1000, HASH, SALT);
        String manifestLine = BootConfig.kernelCommandLine(List.of("console=ttyS0"), 1000, HASH, SALT, "BOOT-A-UUID");

        assertThat(grub).contains("probe --set=boot_uuid --part-uuid ($root)\n")
                .contains("set dm_verity_root=\"root,,,ro,0 8000 verity 1 PARTUUID=$boot_uuid/PARTNROFF=1"
                        + " PARTUUID=$boot_uuid/PARTNROFF=2" + TABLE_TAIL + "\"\n")
                .contains("menuentry 'Greet OS 1.0' --unrestricted {\n")
                .contains("linux ($root)/vmlinuz console=ttyS0 root=/dev/dm-0 rootwait ro raid=noautodetect"
                        + " random.trust_cpu=on dm-mod.create=\"$dm_verity_root\"\n");
        assertThat(manifestLine).isEqualTo("console=ttyS0 root=/dev/dm-0 rootwait ro raid=noautodetect"
                + " random.trust_cpu=on dm-mod.create=\"root,,,ro,0 8000 verity 1 PARTUUID=BOOT-A-UUID/PARTNROFF=1"
                + " PARTUUID=BOOT-A-UUID/PARTNROFF=2" + TABLE_TAIL + "\"");
    }

    @Test
    void aUkiCountsFromTheEfiSystemPartitionBecauseItHasNoBootPartition() {
        PartitionPlan grub = PartitionPlan.of(2, 1, PartitionPlan.Plan.SPLIT, false, true);
        PartitionPlan uki = PartitionPlan.of(2, 1, PartitionPlan.Plan.SPLIT, false, false);
        assertThat(BootConfig.anchorLabel(grub)).isEqualTo("BOTTLEROCKET-BOOT-A");
        assertThat(BootConfig.anchorLabel(uki)).isEqualTo("EFI-SYSTEM");
        PartitionPlan.Partition esp = uki.osPartition("EFI-SYSTEM");
        assertThat(uki.osPartition("BOTTLEROCKET-ROOT-A").number()).isEqualTo(esp.number() + 1);
        assertThat(uki.osPartition("BOTTLEROCKET-HASH-A").number()).isEqualTo(esp.number() + 2);
        PartitionPlan.Partition boot = grub.osPartition("BOTTLEROCKET-BOOT-A");
        assertThat(grub.osPartition("BOTTLEROCKET-ROOT-A").number()).isEqualTo(boot.number() + 1);
        assertThat(grub.osPartition("BOTTLEROCKET-HASH-A").number()).isEqualTo(boot.number() + 2);
    }

    @Test
    void withoutUserParametersTheLineStartsWithTheRoot() {
        assertThat(BootConfig.commandLine(List.of(), "T")).startsWith("root=/dev/dm-0 ");
    }

    @Test
    void grubFindsBootAOnTheDiskItWasStartedFrom() {
        assertThat(BootConfig.grubBiosPrefix(3)).isEqualTo("(hd0,gpt3)/grub");
        assertThat(BootConfig.grubEfiEarlyConfig(3)).isEqualTo("regexp --set=1:bootdisk '^([^,]+),' \"$root\"\n"
                + "set root=\"$bootdisk,gpt3\"\nset prefix=\"($root)/grub\"\n");
        assertThat(BootConfig.grubBiosEarlyConfig()).contains("serial --unit=0 --speed=115200\n");
    }
}
