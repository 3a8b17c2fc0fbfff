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
        String grub = BootConfig.grubConfig("'Greet OS 1.0'", List.of("console=ttyS0"), 1000, HASH, SALT, false);
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
    void withBanksGrubCfgTellsTheKernelTheBankTheFirstStageChose() {
        String grub = BootConfig.grubConfig("'Greet OS 1.0'", List.of("console=ttyS0"), 1000, HASH, SALT, true);
        assertThat(grub).contains("linux ($root)/vmlinuz console=ttyS0 twoliter.bank=$twoliter_boot_bank root=/dev/dm-0 ");
        assertThat(BootConfig.grubConfig("'T'", List.of(), 1000, HASH, SALT, false)).doesNotContain("twoliter.bank");
    }

    @Test
    void withOneBankGrubStartsBootAOnTheDiskItWasStartedFrom() {
        PartitionPlan oneBank = PartitionPlan.of(2, 1, PartitionPlan.Plan.SPLIT, false, true);
        int bootA = oneBank.osPartition("BOTTLEROCKET-BOOT-A").number();
        assertThat(BootConfig.grubBiosPrefix(3)).isEqualTo("(hd0,gpt3)/grub");
        assertThat(BootConfig.grubEarlyConfig(false, oneBank)).isEqualTo(
                "regexp --set=1:twoliter_disk '^([^,]+),' \"$root\"\n"
                        + "set root=\"$twoliter_disk,gpt" + bootA + "\"\nset prefix=\"($root)/grub\"\n");
        assertThat(BootConfig.grubEarlyConfig(true, oneBank)).startsWith("serial --unit=0 --speed=115200\n"
                + "terminal_input serial console\nterminal_output serial console\n")
                .endsWith(BootConfig.grubEarlyConfig(false, oneBank));
        assertThat(BootConfig.hasBanks(oneBank)).isFalse();
    }

    @Test
    void withBanksTheBuiltInConfigHandsOverToTheBuiltInSelectionScript() {
        PartitionPlan banks = PartitionPlan.of(1, 1, PartitionPlan.Plan.UNIFIED, true, true);
        String early = BootConfig.grubEarlyConfig(false, banks);
        // The rescue parser that runs this has no "if": only plain commands.
        assertThat(early).isEqualTo("regexp --set=1:twoliter_disk '^([^,]+),' \"$root\"\n"
                + "source (memdisk)/twoliter/banks.cfg\n");
        assertThat(early).doesNotContain("if ", "fi\n");
    }

    @Test
    void theSelectionScriptReadsTheStateFromTheEspAndChoosesABootPartitionOfThePlan() {
        PartitionPlan banks = PartitionPlan.of(1, 1, PartitionPlan.Plan.UNIFIED, true, true);
        assertThat(List.of(banks.osPartition("EFI-SYSTEM").number(), banks.osPartition("BOTTLEROCKET-BOOT-A").number(),
                banks.osPartition("BOTTLEROCKET-BOOT-B").number())).containsExactly(2, 3, 8);
        String script = BootConfig.grubBankSelection(banks);
        assertThat(script)
                .contains("set twoliter_env=\"($twoliter_disk,gpt2)/EFI/twoliter/grubenv\"\n")
                .contains("load_env --file \"$twoliter_env\" twoliter_bank twoliter_try twoliter_tries twoliter_fallback\n")
                .contains("  set root=\"$twoliter_disk,gpt8\"\nelse\n  set root=\"$twoliter_disk,gpt3\"\nfi\n")
                .endsWith("set prefix=\"($root)/grub\"\n# grub.cfg passes it on as twoliter.bank=.\n"
                        + "export twoliter_boot_bank\n");
        // The try is consumed (and saved) before the try bank is chosen, and only if saving worked.
        assertThat(script).containsSubsequence("if [ \"$twoliter_tries\" = \"1\" ]; then\n",
                "set twoliter_tries=\"0\"\n", "if save_env --file \"$twoliter_env\" twoliter_tries; then\n",
                "set twoliter_boot_bank=\"B\"\n", "else\n",
                "set twoliter_fallback=\"$twoliter_try\"\n", "set twoliter_try=\"\"\n", "set twoliter_tries=\"\"\n",
                "save_env --file \"$twoliter_env\" twoliter_try twoliter_tries twoliter_fallback\n");
        // A value from the disk is never used but compared: the chosen bank is always a literal.
        assertThat(script.lines().filter(l -> l.contains("set twoliter_boot_bank="))).allMatch(
                l -> l.trim().equals("set twoliter_boot_bank=\"A\"") || l.trim().equals("set twoliter_boot_bank=\"B\""));
        // Nothing from the user is in the script: only the plan's partition numbers vary.
        assertThat(script.replaceAll("gpt\\d+", "gptN"))
                .isEqualTo(BootConfig.grubBankSelection(PartitionPlan.of(3, 2, PartitionPlan.Plan.SPLIT, true, true))
                        .replaceAll("gpt\\d+", "gptN"));
        assertThat(script).doesNotContain("'");
        for (String word : script.split("[^$\\w]+")) {
            if (word.startsWith("$")) {
                assertThat(word).matches("\\$(twoliter_(env|disk|bank|try|tries|fallback|boot_bank)|root)");
            }
        }
    }
}
