package dev.twoliter.engine.image;

import dev.twoliter.engine.io.Digests;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Every identifier that would otherwise be random, derived from the image seed: disk and partition
 * GUIDs, filesystem UUIDs, the dm-verity salt, the EFI volume id and the VMDK content id. Equal
 * seeds give equal images.
 *
 * @param uuids by name ("disk", "root-fs", ..., and "part:&lt;label&gt;" for partitions)
 */
record DiskIdentities(Map<String, String> uuids, String salt, String espVolumeId, String vmdkContentId) {
    /** The non-partition identifiers, in the order the image step receives them. */
    static final List<String> NAMES = List.of("disk", "data-disk", "root-fs", "boot-fs", "private-fs", "data-fs",
            "verity");

    static DiskIdentities of(String seed, PartitionPlan plan) {
        Map<String, String> uuids = new TreeMap<>();
        for (String name : NAMES) {
            uuids.put(name, derivedUuid(seed, name));
        }
        for (PartitionPlan.Partition p : plan.osDisk()) {
            // Data partitions carry Bottlerocket's fixed GUIDs: its first boot finds them by these.
            String guid = !p.type().equals(PartitionPlan.TYPE_DATA) ? derivedUuid(seed, "part:" + p.label())
                    : plan.dataDisk().isEmpty() ? PartitionPlan.DATA_PARTITION_GUID : PartitionPlan.DATA_FALLBACK_GUID;
            uuids.put("part:" + p.label(), fixedUkiAnchor(plan, p.label()).orElse(guid));
        }
        String salt = HexFormat.of().formatHex(Digests.newDigest("SHA-256")
                .digest((seed + ":verity-salt").getBytes(StandardCharsets.UTF_8)));
        return new DiskIdentities(Map.copyOf(uuids), salt, seed.substring(0, 8), seed.substring(8, 16));
    }

    /**
     * The fixed GUID of a UKI bank anchor (see {@link PartitionPlan#UKI_ANCHOR_A_GUID}): only in a UKI
     * image with A/B banks, whose UKIs must find their bank on disks built by other versions.
     */
    static java.util.Optional<String> fixedUkiAnchor(PartitionPlan plan, String label) {
        if (!plan.ukiBanks()) {
            return java.util.Optional.empty();
        }
        return switch (label) {
            case "EFI-SYSTEM" -> java.util.Optional.of(PartitionPlan.UKI_ANCHOR_A_GUID.toLowerCase(java.util.Locale.ROOT));
            case "EFI-BACKUP" -> java.util.Optional.of(PartitionPlan.UKI_ANCHOR_B_GUID.toLowerCase(java.util.Locale.ROOT));
            default -> java.util.Optional.empty();
        };
    }

    String partition(String label) {
        return uuids.get("part:" + label);
    }

    static String derivedUuid(String seed, String name) {
        return UUID.nameUUIDFromBytes((seed + ":" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
