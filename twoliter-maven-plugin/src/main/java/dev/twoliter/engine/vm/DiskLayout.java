package dev.twoliter.engine.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twoliter.engine.TwoliterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The OS disk's partitions by name, in MiB, from the build manifest the variant build wrote: where
 * an update writes a bank's images and where the boot state lives.
 */
record DiskLayout(long diskMib, Map<String, DiskSession.Partition> partitions) {
    private static final long MAX_MANIFEST_BYTES = 64L << 20;

    static DiskLayout read(Path buildManifest) throws TwoliterException {
        try {
            if (!Files.isRegularFile(buildManifest) || Files.size(buildManifest) > MAX_MANIFEST_BYTES) {
                throw new TwoliterException("The build manifest " + buildManifest + " is missing or too large; build"
                        + " the variant again.");
            }
            JsonNode disk = new ObjectMapper().readTree(buildManifest.toFile()).path("image").path("os-disk");
            long size = disk.path("size-mib").asLong(-1);
            Map<String, DiskSession.Partition> partitions = new HashMap<>();
            for (JsonNode p : disk.path("partitions")) {
                long start = p.path("start-mib").asLong(-1);
                long mib = p.path("size-mib").asLong(-1);
                if (!p.path("label").isTextual() || start < 1 || mib < 1 || start + mib > size) {
                    throw new TwoliterException("The build manifest " + buildManifest + " lists a partition outside"
                            + " its disk; build the variant again.");
                }
                partitions.put(p.path("label").asText(), new DiskSession.Partition(start, mib));
            }
            return new DiskLayout(size, Map.copyOf(partitions));
        } catch (IOException e) {
            throw new TwoliterException("Could not read the build manifest " + buildManifest + ": " + e.getMessage(),
                    e);
        }
    }

    Optional<DiskSession.Partition> partition(String label) {
        return Optional.ofNullable(partitions.get(label));
    }
}
