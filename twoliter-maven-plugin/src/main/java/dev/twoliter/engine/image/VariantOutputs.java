package dev.twoliter.engine.image;

import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a variant build delivers, as the module's result: the image files found in the output
 * directory (each with the classifier and type it is published under), how they are recorded for
 * the up-to-date check, and the result read back from that record.
 */
final class VariantOutputs {
    private VariantOutputs() {}

    /**
     * The files {@code <base>-<classifier>.<type>} in the output directory, sorted by name; the
     * classifier ends at the first dot.
     */
    static List<VariantBuildResult.Output> collect(VariantBuildRequest request) throws IOException {
        return collect(request, List.of());
    }

    /**
     * {@link #collect(VariantBuildRequest)}, taking the digest of each file in {@code hashed} from
     * there rather than reading the file again (images are large); the caller vouches that those
     * files have not changed since.
     */
    static List<VariantBuildResult.Output> collect(VariantBuildRequest request, List<VariantBuildResult.Output> hashed)
            throws IOException {
        Map<Path, String> known = new java.util.HashMap<>();
        hashed.forEach(o -> known.put(o.file(), o.sha256()));
        List<VariantBuildResult.Output> outputs = new ArrayList<>();
        String base = request.baseName() + "-";
        try (Stream<Path> files = Files.list(request.outputDir())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith(base)) {
                    continue;
                }
                String rest = name.substring(base.length());
                int dot = rest.indexOf('.');
                String sha256 = known.containsKey(file) ? known.get(file) : Digests.sha256(file);
                outputs.add(new VariantBuildResult.Output(rest.substring(0, dot), rest.substring(dot + 1), file,
                        sha256));
            }
        }
        return outputs;
    }

    /** The build manifest and every output with its digest, under keys {@link #fromRecord} reads back. */
    static Fingerprint record(VariantBuildResult result, BuildRecord record) throws IOException {
        Fingerprint recorded = new Fingerprint();
        recorded.putFile(record.key("manifest", result.buildManifest()), result.buildManifest());
        for (VariantBuildResult.Output out : result.outputs()) {
            recorded.put(record.key("output:" + out.classifier() + ":" + out.type(), out.file()), out.sha256());
        }
        return recorded;
    }

    /** The result of an up-to-date build, from what {@link #record} recorded (the digests checked by then). */
    static VariantBuildResult fromRecord(BuildRecord record) {
        List<VariantBuildResult.Output> outputs = new ArrayList<>();
        Path manifest = null;
        for (Map.Entry<String, String> entry : record.outputs().entries().entrySet()) {
            String key = entry.getKey();
            String[] parts = key.split(":");
            Path file = record.output(key);
            if (parts[0].equals("manifest")) {
                manifest = file;
            } else {
                outputs.add(new VariantBuildResult.Output(parts[1], parts[2], file, entry.getValue()));
            }
        }
        outputs.sort(Comparator.comparing(o -> o.file().getFileName().toString()));
        return new VariantBuildResult(manifest, List.copyOf(outputs), true);
    }
}
