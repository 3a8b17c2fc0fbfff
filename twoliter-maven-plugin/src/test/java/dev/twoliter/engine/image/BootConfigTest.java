package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BootConfigTest {
    private static final String HASH = "cd".repeat(32);
    private static final String SALT = "ef".repeat(32);

    @Test
    void theGrubTemplateAndTheManifestsCommandLineAgreeOnceMeasured() {
        String template = BootConfig.grubTemplate("'Greet OS 1.0'", List.of("console=ttyS0"), SALT);
        String grub = template.replace(BootConfig.DATA_SECTORS, "8000").replace(BootConfig.DATA_BLOCKS, "1000")
                .replace(BootConfig.ROOT_HASH, HASH);
        String manifestLine = BootConfig.kernelCommandLine(List.of("console=ttyS0"), 1000, HASH, SALT, "BOOT-A-UUID");

        String table = "root,,,ro,0 8000 verity 1 PARTUUID=$boot_uuid/PARTNROFF=1 PARTUUID=$boot_uuid/PARTNROFF=2 4096"
                + " 4096 1000 1 sha256 " + HASH + " " + SALT + " 2 restart_on_corruption ignore_zero_blocks";
        assertThat(grub).contains("set dm_verity_root=\"" + table + "\"\n")
                .contains("menuentry 'Greet OS 1.0' --unrestricted {\n")
                .contains("linux ($root)/vmlinuz console=ttyS0 root=/dev/dm-0 rootwait ro raid=noautodetect"
                        + " random.trust_cpu=on dm-mod.create=\"$dm_verity_root\"\n")
                .doesNotContain("@");
        assertThat(manifestLine).isEqualTo("console=ttyS0 root=/dev/dm-0 rootwait ro raid=noautodetect"
                + " random.trust_cpu=on dm-mod.create=\"" + table.replace("$boot_uuid", "BOOT-A-UUID") + "\"");
    }

    @Test
    void withoutUserParametersTheLineStartsWithTheRoot() {
        assertThat(BootConfig.commandLine(List.of(), "T")).startsWith("root=/dev/dm-0 ");
    }
}
