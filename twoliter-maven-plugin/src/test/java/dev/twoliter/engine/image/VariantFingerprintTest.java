package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.Digests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The variant's fingerprint names each input, so that a rebuild says which one changed. */
class VariantFingerprintTest {
    @TempDir
    Path dir;

    @Test
    void everyStepScriptAndEveryLocalRpmIsAnInput() throws Exception {
        Path rpm = Files.writeString(dir.resolve("greet-1.0-1.x86_64.rpm"), "rpm bytes");
        Fingerprint f = VariantFingerprint.of(VariantRequests.of(dir, Map.of()), Map.of(rpm.getFileName().toString(),
                rpm), "sha256:sdk");

        assertThat(VariantFingerprint.SCRIPTS).contains(InstallRootStep.SCRIPT, GrubStep.SCRIPT,
                RootFilesystemStep.SCRIPT, UkiStep.SCRIPT, DiskImageStep.SCRIPT);
        assertThat(f.entries()).containsEntry("scripts", Digests.sha256(VariantFingerprint.SCRIPTS))
                .containsEntry("sdk", "sha256:sdk")
                .containsEntry("variant", "com.example:greet-os:1.0.0:abc12345")
                .containsEntry("arch", "x86_64")
                .containsEntry("sourceDateEpoch", "1700000000")
                .containsEntry("local:greet-1.0-1.x86_64.rpm", Digests.sha256(rpm))
                .doesNotContainKeys("rootHashSigner", "secureBootSigner");
    }

    @Test
    void aChangedOptionOrRpmIsNamedAsTheChange() throws Exception {
        Path rpm = Files.writeString(dir.resolve("greet-1.0-1.x86_64.rpm"), "rpm bytes");
        Map<String, Path> rpms = Map.of(rpm.getFileName().toString(), rpm);
        Fingerprint before = VariantFingerprint.of(VariantRequests.of(dir, Map.of()), rpms, "sdk");

        Files.writeString(rpm, "other rpm bytes");
        Fingerprint after = VariantFingerprint.of(VariantRequests.of(dir, Map.of(), ImageOptions.Bootloader.GRUB,
                List.of("console=ttyS1")), rpms, "sdk");

        assertThat(after.changesSince(before)).hasSize(2).anyMatch(c -> c.startsWith("options"))
                .anyMatch(c -> c.startsWith("local:greet-1.0-1.x86_64.rpm"));
    }
}
