package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.Digests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the files a variant build leaves are named as outputs, recorded, and read back when up to date. */
class VariantOutputsTest {
    @TempDir
    Path dir;

    private VariantBuildRequest request() {
        return VariantRequests.of(dir, Map.of());
    }

    private Path out(String name) throws Exception {
        return Files.writeString(Files.createDirectories(dir.resolve("out")).resolve(name), name);
    }

    @Test
    void theClassifierEndsAtTheFirstDotAndOnlyTheVariantsFilesCount() throws Exception {
        Path os = out("greet-os-x86_64-1.0.0-os.img.zst");
        Path signature = out("greet-os-x86_64-1.0.0-root-hash.p7s");
        Path data = out("greet-os-x86_64-1.0.0-data.img.zst");
        out("greet-os-x86_64-1.0.0.variant.json");
        out("other-os-x86_64-1.0.0-os.img");

        assertThat(VariantOutputs.collect(request())).containsExactly(
                new VariantBuildResult.Output("data", "img.zst", data, Digests.sha256(data)),
                new VariantBuildResult.Output("os", "img.zst", os, Digests.sha256(os)),
                new VariantBuildResult.Output("root-hash", "p7s", signature, Digests.sha256(signature)));
    }

    @Test
    void whatIsRecordedReadsBackAsTheSameResultUpToDate() throws Exception {
        Path manifest = out("greet-os-x86_64-1.0.0.variant.json");
        out("greet-os-x86_64-1.0.0-os.img.zst");
        out("greet-os-x86_64-1.0.0-application-inventory.json");
        List<VariantBuildResult.Output> outputs = VariantOutputs.collect(request());
        BuildRecord record = new BuildRecord(dir.resolve("work"), "variant", dir.resolve("out"));
        VariantBuildResult built = new VariantBuildResult(manifest, outputs, false);

        Fingerprint recorded = VariantOutputs.record(built, record);
        assertThat(recorded.entries()).containsOnlyKeys("manifest:greet-os-x86_64-1.0.0.variant.json",
                "output:application-inventory:json:greet-os-x86_64-1.0.0-application-inventory.json",
                "output:os:img.zst:greet-os-x86_64-1.0.0-os.img.zst");
        Files.createDirectories(dir.resolve("work"));
        record.record(new Fingerprint().put("input", "1"), recorded);

        VariantBuildResult again = VariantOutputs.fromRecord(record);
        assertThat(again.upToDate()).isTrue();
        assertThat(again.buildManifest()).isEqualTo(manifest.toAbsolutePath().normalize());
        assertThat(again.outputs()).isEqualTo(outputs.stream().map(o -> new VariantBuildResult.Output(o.classifier(),
                o.type(), o.file().toAbsolutePath().normalize(), o.sha256())).toList());
        assertThat(recorded.entries()).containsEntry("output:os:img.zst:greet-os-x86_64-1.0.0-os.img.zst",
                Digests.sha256(dir.resolve("out/greet-os-x86_64-1.0.0-os.img.zst")));
    }
}
