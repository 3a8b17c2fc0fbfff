package dev.twoliter.engine.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Bottlerocket's disk layout as arithmetic: partition sizes in MiB scaled by the OS image size,
 * 1 MiB aligned, with A/B banks (or one bank of double size without in-place updates), and the
 * data partition on the OS disk ({@code unified}) or on a disk of its own ({@code split}).
 */
public record PartitionPlan(List<Partition> osDisk, long osDiskMib, List<Partition> dataDisk, long dataDiskMib) {

    public static final String TYPE_BIOS = "21686148-6449-6E6F-744E-656564454649";
    public static final String TYPE_EFI = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    public static final String TYPE_EFI_BACKUP = "B39CE39C-0A00-B4AB-2D11-F18F8237A21C";
    public static final String TYPE_BOOT = "6B636168-7420-6568-2070-6C616E657421";
    public static final String TYPE_ROOT = "5526016A-1A97-4EA4-B39A-B7C8C6CA4502";
    public static final String TYPE_HASH = "598F10AF-C955-4456-6A99-7720068A6CEA";
    public static final String TYPE_RESERVED = "0C5D99A5-D331-4147-BAEF-08E2B855BDC9";
    public static final String TYPE_PRIVATE = "440408BB-EB0B-4328-A6E5-A29038FAD706";
    public static final String TYPE_DATA = "626F7474-6C65-6474-6861-726D61726B73";

    /** The partition Bottlerocket's boot prefers as the data partition, by unique GUID. */
    public static final String DATA_PARTITION_GUID = "5B94E8DF-28B8-485C-9D19-362263B5944C";
    /** The data partition's fallback GUID: the 1 MiB placeholder on the OS disk of a split layout. */
    public static final String DATA_FALLBACK_GUID = "69040874-417D-4E26-A764-7885F22007EA";

    /**
     * The fixed GUIDs of the two per-bank anchors of a UKI image with A/B banks: the EFI system
     * partition (bank A) and EFI-BACKUP (bank B). Each bank's UKI names its ROOT and HASH as the first
     * and second partitions after its anchor, and a UKI published as an update is built by a later
     * version, whose seeded GUIDs differ from the installed disk's: so the anchors' GUIDs must not
     * depend on the build (as Bottlerocket's data partition GUID does not). Random (version 4), generated once.
     */
    public static final String UKI_ANCHOR_A_GUID = "BA442BCE-5CD1-4562-9191-FA85926A49D7";
    public static final String UKI_ANCHOR_B_GUID = "40FB5C00-A3F7-47BB-AD94-09468BACC975";

    /** gptprio bits of BOOT-A: priority 1 (bit 48) and "successful" (bit 56). */
    public static final List<Integer> BOOT_A_ATTRIBUTE_BITS = List.of(48, 56);

    private static final long GPT_MIB = 1;
    private static final long BIOS_MIB = 4;

    /**
     * One partition: number (1-based, in disk order), label (the GPT name, except that data
     * partitions are left unnamed on disk: Bottlerocket names them at first boot), type GUID,
     * start and size in MiB.
     */
    public record Partition(int number, String label, String type, long startMib, long sizeMib) {
        public long endMib() {
            return startMib + sizeMib;
        }

        public String gptName() {
            return type.equals(TYPE_DATA) ? "" : label;
        }
    }

    public enum Plan {
        SPLIT, UNIFIED
    }

    /** The layout of an image with BOOT partitions (booted by GRUB, or by none of the plugin's loaders). */
    public static PartitionPlan of(int osImageSizeGib, int dataImageSizeGib, Plan plan, boolean inPlaceUpdates) {
        return of(osImageSizeGib, dataImageSizeGib, plan, inPlaceUpdates, true);
    }

    /**
     * The layout for the given sizes. The same on every arch: aarch64 keeps an (empty) BIOS-BOOT
     * partition too, as Bottlerocket does, so that offsets never depend on the arch. Without BOOT
     * partitions (a UKI image, one bank) the EFI system partition takes BOOT-A's space, so ROOT-A and
     * everything after it stay where they are, as in Twoliter's UKI layout. With two banks and no BOOT
     * partitions (a UKI image with A/B banks) EFI-BACKUP takes BOOT-B's space the same way, so every
     * ROOT and HASH partition sits where the GRUB layout puts it; EFI-BACKUP holds nothing (systemd-boot
     * reads both banks' UKIs from the EFI system partition) and anchors bank B's dm-verity table.
     */
    public static PartitionPlan of(int osImageSizeGib, int dataImageSizeGib, Plan plan, boolean inPlaceUpdates,
            boolean bootPartitions) {
        if (osImageSizeGib < 1 || dataImageSizeGib < 1) {
            throw new IllegalArgumentException("osImageSizeGib and dataImageSizeGib must be at least 1");
        }
        long n = osImageSizeGib;
        int banks = inPlaceUpdates ? 2 : 1;
        long scale = inPlaceUpdates ? 1 : 2;
        long efi = 5 * scale;
        long boot = 20 * n * scale;
        long root = 460 * n * scale;
        long hash = 5 * n * scale;
        long reserved = (15 * n - 5) * scale;
        long privatePart = 24 * n - 7;

        List<Partition> os = new ArrayList<>();
        long cursor = GPT_MIB;
        os.add(new Partition(os.size() + 1, "BIOS-BOOT", TYPE_BIOS, cursor, BIOS_MIB));
        cursor += BIOS_MIB;
        for (int b = 0; b < banks; b++) {
            String bank = b == 0 ? "A" : "B";
            long esp = bootPartitions ? efi : efi + boot;
            os.add(new Partition(os.size() + 1, b == 0 ? "EFI-SYSTEM" : "EFI-BACKUP", b == 0 ? TYPE_EFI : TYPE_EFI_BACKUP,
                    cursor, esp));
            cursor += esp;
            for (Object[] p : new Object[][] {{"BOOT", TYPE_BOOT, boot}, {"ROOT", TYPE_ROOT, root},
                    {"HASH", TYPE_HASH, hash}, {"RESERVED", TYPE_RESERVED, reserved}}) {
                if (!bootPartitions && p[0].equals("BOOT")) {
                    continue;
                }
                long size = (Long) p[2];
                os.add(new Partition(os.size() + 1, "BOTTLEROCKET-" + p[0] + "-" + bank, (String) p[1], cursor, size));
                cursor += size;
            }
        }
        os.add(new Partition(os.size() + 1, "BOTTLEROCKET-PRIVATE", TYPE_PRIVATE, cursor, privatePart));
        cursor += privatePart;

        if (plan == Plan.UNIFIED) {
            // Like partyplanner: the data partition is exactly the data size, leaving 1 MiB of slack
            // before the backup GPT.
            long disk = 1024L * (osImageSizeGib + dataImageSizeGib);
            os.add(new Partition(os.size() + 1, "BOTTLEROCKET-DATA", TYPE_DATA, cursor, 1024L * dataImageSizeGib));
            return new PartitionPlan(List.copyOf(os), disk, List.of(), 0);
        }
        os.add(new Partition(os.size() + 1, "BOTTLEROCKET-DATA", TYPE_DATA, cursor, 1));
        cursor += 1;
        long osDisk = cursor + GPT_MIB;
        long dataDisk = 1024L * dataImageSizeGib;
        List<Partition> data = List.of(new Partition(1, "BOTTLEROCKET-DATA", TYPE_DATA, GPT_MIB, dataDisk - 2 * GPT_MIB));
        return new PartitionPlan(List.copyOf(os), osDisk, data, dataDisk);
    }

    /** Whether this is a UKI image's layout with A/B banks: no BOOT partitions, and a bank B. */
    public boolean ukiBanks() {
        return findOsPartition("BOTTLEROCKET-BOOT-A").isEmpty() && findOsPartition("BOTTLEROCKET-ROOT-B").isPresent();
    }

    /** The OS disk's partition with this label, if the layout has one. */
    public java.util.Optional<Partition> findOsPartition(String label) {
        return osDisk.stream().filter(p -> p.label().equals(label)).findFirst();
    }

    public Partition osPartition(String label) {
        return osDisk.stream().filter(p -> p.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no partition " + label));
    }

    /** The partition that holds the data filesystem: DATA on the data disk (split) or on the OS disk. */
    public Partition dataPartition() {
        return dataDisk.isEmpty() ? osPartition("BOTTLEROCKET-DATA") : dataDisk.get(0);
    }
}
