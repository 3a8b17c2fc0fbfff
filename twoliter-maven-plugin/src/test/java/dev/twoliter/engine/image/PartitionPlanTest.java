package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.image.PartitionPlan.Partition;
import dev.twoliter.engine.image.PartitionPlan.Plan;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionPlanTest {
    @Test
    void defaultTwoGibSplitLayoutMatchesBottlerocket() {
        PartitionPlan plan = PartitionPlan.of(2, 1, Plan.SPLIT, true);

        assertThat(plan.osDisk()).extracting(Partition::label).containsExactly("BIOS-BOOT", "EFI-SYSTEM",
                "BOTTLEROCKET-BOOT-A", "BOTTLEROCKET-ROOT-A", "BOTTLEROCKET-HASH-A", "BOTTLEROCKET-RESERVED-A",
                "EFI-BACKUP", "BOTTLEROCKET-BOOT-B", "BOTTLEROCKET-ROOT-B", "BOTTLEROCKET-HASH-B",
                "BOTTLEROCKET-RESERVED-B", "BOTTLEROCKET-PRIVATE", "BOTTLEROCKET-DATA");
        assertThat(plan.osDisk()).extracting(Partition::sizeMib)
                .containsExactly(4L, 5L, 40L, 920L, 10L, 25L, 5L, 40L, 920L, 10L, 25L, 41L, 1L);
        assertThat(plan.osPartition("BIOS-BOOT").startMib()).isEqualTo(1);
        assertThat(plan.osDiskMib()).isEqualTo(2048);
        assertThat(plan.dataDisk()).containsExactly(new Partition(1, "BOTTLEROCKET-DATA", PartitionPlan.TYPE_DATA, 1, 1022));
        assertThat(plan.dataDiskMib()).isEqualTo(1024);
        assertContiguous(plan.osDisk(), plan.osDiskMib());
    }

    @Test
    void sizesScaleWithTheOsImageSize() {
        PartitionPlan plan = PartitionPlan.of(4, 1, Plan.SPLIT, true);
        assertThat(plan.osPartition("BOTTLEROCKET-ROOT-A").sizeMib()).isEqualTo(1840);
        assertThat(plan.osPartition("BOTTLEROCKET-BOOT-B").sizeMib()).isEqualTo(80);
        assertThat(plan.osPartition("BOTTLEROCKET-HASH-A").sizeMib()).isEqualTo(20);
        assertThat(plan.osPartition("BOTTLEROCKET-RESERVED-A").sizeMib()).isEqualTo(55);
        assertThat(plan.osPartition("BOTTLEROCKET-PRIVATE").sizeMib()).isEqualTo(89);
        assertThat(plan.osDiskMib()).isEqualTo(4096);
        assertContiguous(plan.osDisk(), plan.osDiskMib());
    }

    @Test
    void withoutInPlaceUpdatesOneBankHasDoubleSizes() {
        PartitionPlan plan = PartitionPlan.of(2, 1, Plan.SPLIT, false);
        assertThat(plan.osDisk()).extracting(Partition::label).containsExactly("BIOS-BOOT", "EFI-SYSTEM",
                "BOTTLEROCKET-BOOT-A", "BOTTLEROCKET-ROOT-A", "BOTTLEROCKET-HASH-A", "BOTTLEROCKET-RESERVED-A",
                "BOTTLEROCKET-PRIVATE", "BOTTLEROCKET-DATA");
        assertThat(plan.osDisk()).extracting(Partition::sizeMib).containsExactly(4L, 10L, 80L, 1840L, 20L, 50L, 41L, 1L);
        assertThat(plan.osDiskMib()).isEqualTo(2048);
        assertContiguous(plan.osDisk(), plan.osDiskMib());
    }

    @Test
    void unifiedPutsTheDataPartitionOnTheOsDisk() {
        PartitionPlan plan = PartitionPlan.of(2, 3, Plan.UNIFIED, true);
        assertThat(plan.dataDisk()).isEmpty();
        assertThat(plan.osDiskMib()).isEqualTo(5 * 1024);
        assertThat(plan.dataPartition().label()).isEqualTo("BOTTLEROCKET-DATA");
        assertThat(plan.dataPartition().sizeMib()).isEqualTo(3 * 1024);
        assertThat(plan.dataPartition().endMib()).as("1 MiB slack + the backup GPT").isEqualTo(5 * 1024 - 2);
        assertThat(plan.dataPartition().gptName()).isEmpty();
        assertContiguous(plan.osDisk(), plan.osDiskMib());
    }

    @Test
    void withoutInPlaceUpdatesTheSingleBankDoublesEveryPartitionOfTheBank() {
        PartitionPlan plan = PartitionPlan.of(1, 1, Plan.UNIFIED, false);
        assertThat(plan.osPartition("BOTTLEROCKET-ROOT-A").sizeMib()).isEqualTo(920);
        assertThat(plan.osPartition("BOTTLEROCKET-RESERVED-A").sizeMib()).isEqualTo(20);
        assertThat(plan.osPartition("BOTTLEROCKET-PRIVATE").sizeMib()).isEqualTo(17);
    }

    @Test
    void aUkiImageWithBanksKeepsEveryRootAndHashWhereGrubsLayoutHasThem() {
        PartitionPlan grub = PartitionPlan.of(2, 1, Plan.SPLIT, true, true);
        PartitionPlan uki = PartitionPlan.of(2, 1, Plan.SPLIT, true, false);
        assertThat(uki.osDisk()).extracting(Partition::label).containsExactly("BIOS-BOOT", "EFI-SYSTEM",
                "BOTTLEROCKET-ROOT-A", "BOTTLEROCKET-HASH-A", "BOTTLEROCKET-RESERVED-A", "EFI-BACKUP",
                "BOTTLEROCKET-ROOT-B", "BOTTLEROCKET-HASH-B", "BOTTLEROCKET-RESERVED-B", "BOTTLEROCKET-PRIVATE",
                "BOTTLEROCKET-DATA");
        assertThat(uki.osPartition("EFI-SYSTEM").sizeMib()).as("ESP + BOOT-A").isEqualTo(45);
        assertThat(uki.osPartition("EFI-BACKUP").sizeMib()).as("EFI-BACKUP + BOOT-B").isEqualTo(45);
        for (String label : List.of("BOTTLEROCKET-ROOT-A", "BOTTLEROCKET-HASH-A", "BOTTLEROCKET-ROOT-B",
                "BOTTLEROCKET-HASH-B", "BOTTLEROCKET-PRIVATE")) {
            assertThat(uki.osPartition(label).startMib()).as(label).isEqualTo(grub.osPartition(label).startMib());
            assertThat(uki.osPartition(label).sizeMib()).as(label).isEqualTo(grub.osPartition(label).sizeMib());
        }
        // Each bank's anchor is followed by its ROOT and HASH: the UKI's dm-verity table counts from it.
        assertThat(uki.osPartition("BOTTLEROCKET-ROOT-B").number()).isEqualTo(uki.osPartition("EFI-BACKUP").number() + 1);
        assertThat(uki.osPartition("BOTTLEROCKET-HASH-B").number()).isEqualTo(uki.osPartition("EFI-BACKUP").number() + 2);
        assertThat(uki.ukiBanks()).isTrue();
        assertThat(grub.ukiBanks()).isFalse();
        assertThat(PartitionPlan.of(2, 1, Plan.SPLIT, false, false).ukiBanks()).isFalse();
        assertContiguous(uki.osDisk(), uki.osDiskMib());
    }

    @Test
    void refusesSizesBelowOneGib() {
        assertThatThrownBy(() -> PartitionPlan.of(0, 1, Plan.SPLIT, true)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Partitions follow each other without gaps or overlaps, 1 MiB aligned, leaving the GPTs 1 MiB. */
    private static void assertContiguous(List<Partition> partitions, long diskMib) {
        long cursor = 1;
        for (Partition p : partitions) {
            assertThat(p.startMib()).as(p.label()).isEqualTo(cursor);
            cursor = p.endMib();
        }
        assertThat(cursor).isLessThanOrEqualTo(diskMib - 1);
    }
}
