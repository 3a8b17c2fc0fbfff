package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.image.PartitionPlan.Plan;
import java.util.List;
import org.junit.jupiter.api.Test;

class UkiBanksTest {
    private static final String ROOT_HASH = "ab".repeat(32);
    private static final String SALT = "cd".repeat(32);

    @Test
    void eachBanksCommandLineNamesItsBankAndCountsFromItsFixedAnchor() {
        String a = UkiBanks.commandLine(List.of("console=ttyS0"), Bank.A, 1000, ROOT_HASH, SALT);
        String b = UkiBanks.commandLine(List.of("console=ttyS0"), Bank.B, 1000, ROOT_HASH, SALT);
        String anchorA = PartitionPlan.UKI_ANCHOR_A_GUID.toLowerCase();
        String anchorB = PartitionPlan.UKI_ANCHOR_B_GUID.toLowerCase();
        assertThat(a).startsWith("console=ttyS0 twoliter.bank=A root=/dev/dm-0 ")
                .contains("PARTUUID=" + anchorA + "/PARTNROFF=1 PARTUUID=" + anchorA + "/PARTNROFF=2 ")
                .doesNotContain(anchorB);
        assertThat(b).startsWith("console=ttyS0 twoliter.bank=B root=/dev/dm-0 ")
                .contains("PARTUUID=" + anchorB + "/PARTNROFF=1 PARTUUID=" + anchorB + "/PARTNROFF=2 ")
                .doesNotContain(anchorA);
        assertThat(a.replace("bank=A", "bank=B").replace(anchorA, anchorB)).as("nothing else differs").isEqualTo(b);
    }

    @Test
    void theAnchorsGuidsAreTheSameWhateverTheBuild() {
        PartitionPlan plan = PartitionPlan.of(1, 1, Plan.UNIFIED, true, false);
        DiskIdentities one = DiskIdentities.of("1".repeat(64), plan);
        DiskIdentities two = DiskIdentities.of("2".repeat(64), plan);
        assertThat(one.partition("EFI-SYSTEM")).isEqualTo(two.partition("EFI-SYSTEM"))
                .isEqualTo(PartitionPlan.UKI_ANCHOR_A_GUID.toLowerCase());
        assertThat(one.partition("EFI-BACKUP")).isEqualTo(two.partition("EFI-BACKUP"))
                .isEqualTo(PartitionPlan.UKI_ANCHOR_B_GUID.toLowerCase());
        assertThat(one.partition("BOTTLEROCKET-ROOT-B")).as("the rest stays seeded")
                .isNotEqualTo(two.partition("BOTTLEROCKET-ROOT-B"));
    }

    @Test
    void imagesWithoutUkiBanksKeepSeededAnchors() {
        for (PartitionPlan plan : List.of(PartitionPlan.of(1, 1, Plan.UNIFIED, false, false),
                PartitionPlan.of(1, 1, Plan.UNIFIED, true, true))) {
            DiskIdentities ids = DiskIdentities.of("1".repeat(64), plan);
            assertThat(ids.partition("EFI-SYSTEM")).isEqualTo(DiskIdentities.derivedUuid("1".repeat(64), "part:EFI-SYSTEM"));
        }
    }

    @Test
    void entryNamesAreFixedAndTheTryHasOneTryLeft() {
        assertThat(UkiBanks.entryName(Bank.A)).isEqualTo("twoliter-a.efi");
        assertThat(UkiBanks.tryEntryName(Bank.B)).isEqualTo("twoliter-b+1-0.efi");
        assertThat(UkiBankFiles.name(Bank.B)).isEqualTo("uki-b");
    }

    @Test
    void loaderConfShowsNoMenuNoEditorAndNoAutomaticEntries() {
        assertThat(UkiBanks.loaderConf()).isEqualTo("timeout 0\neditor no\nauto-entries no\nauto-firmware no\n")
                .doesNotContain("default");
    }
}
