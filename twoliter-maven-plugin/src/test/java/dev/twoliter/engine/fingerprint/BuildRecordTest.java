package dev.twoliter.engine.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildRecordTest {
    @TempDir
    Path target;

    private final List<String> messages = new ArrayList<>();
    private final BuildLog log = new BuildLog() {
        @Override
        public void info(String message) {
            messages.add(message);
        }

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
    };

    private BuildRecord recorded(Fingerprint inputs) throws Exception {
        Path out = Files.writeString(Files.createDirectories(target.resolve("rpms")).resolve("a.rpm"), "rpm bytes");
        BuildRecord record = new BuildRecord(target.resolve("twoliter"), "rpm", target);
        Files.createDirectories(target.resolve("twoliter"));
        Fingerprint outputs = new Fingerprint().putFile(record.key("output", out), out);
        record.record(inputs, outputs);
        return record;
    }

    @Test
    void unchangedInputsAndIntactOutputsAreUpToDate() throws Exception {
        BuildRecord record = recorded(new Fingerprint().put("spec", "1"));
        assertThat(record.isUpToDate(new Fingerprint().put("spec", "1"), "m", log)).isTrue();
        assertThat(record.outputs().entries()).containsOnlyKeys("output:rpms/a.rpm");
        assertThat(record.output("output:rpms/a.rpm")).isEqualTo(target.resolve("rpms/a.rpm"));
    }

    @Test
    void aChangedInputSaysWhich() throws Exception {
        BuildRecord record = recorded(new Fingerprint().put("spec", "1").put("source:a.c", "x"));
        assertThat(record.isUpToDate(new Fingerprint().put("spec", "1").put("source:a.c", "y"), "g:m", log)).isFalse();
        assertThat(messages).containsExactly("g:m changed since its last build: source:a.c");
    }

    @Test
    void aModifiedOrMissingOutputMeansRebuild() throws Exception {
        BuildRecord record = recorded(new Fingerprint().put("spec", "1"));
        Files.writeString(target.resolve("rpms/a.rpm"), "tampered");
        assertThat(record.isUpToDate(new Fingerprint().put("spec", "1"), "m", log)).isFalse();
        Files.delete(target.resolve("rpms/a.rpm"));
        assertThat(record.isUpToDate(new Fingerprint().put("spec", "1"), "m", log)).isFalse();
        assertThat(messages).allMatch(m -> m.contains("is missing or was modified"));
    }

    @Test
    void aRecordNamingAPathOutsideTheOutputBaseIsNeverUpToDate() throws Exception {
        Path secret = Files.writeString(target.getParent().resolve("outside-" + target.getFileName()), "secret");
        for (String key : List.of("output:../" + secret.getFileName(), "output:" + secret, "output:rpms/../../x",
                "output:", "")) {
            BuildRecord record = recorded(new Fingerprint().put("spec", "1"));
            Path outputs = target.resolve("twoliter/rpm-outputs.txt");
            Files.writeString(outputs, key + "=" + dev.twoliter.engine.io.Digests.sha256(secret) + "\n");
            messages.clear();

            assertThat(record.isUpToDate(new Fingerprint().put("spec", "1"), "g:m", log)).as(key).isFalse();
            if (!key.isEmpty()) {
                assertThat(messages).containsExactly("g:m: its build record " + outputs + " names a path outside "
                        + target + " ('" + key + "'); rebuilding");
                assertThatThrownBy(() -> record.output(key)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("which is not a path below " + target);
            }
        }
        Files.delete(secret);
    }

    @Test
    void anOutputOutsideTheBaseIsRecordedButNeverTakenAsUpToDate() throws Exception {
        BuildRecord record = new BuildRecord(target.resolve("twoliter"), "rpm", target);
        assertThat(record.key("p", target.resolve("a/../b.rpm"))).isEqualTo("p:b.rpm");
        Path outside = Files.writeString(target.getParent().resolve("elsewhere-" + target.getFileName() + ".rpm"), "x");
        Files.createDirectories(target.resolve("twoliter"));
        record.record(new Fingerprint().put("spec", "1"), new Fingerprint().putFile(record.key("p", outside), outside));
        assertThat(record.isUpToDate(new Fingerprint().put("spec", "1"), "m", log)).isFalse();
        assertThat(messages).singleElement().asString().contains("names a path outside " + target);
        Files.delete(outside);
    }

    private BuildRecord recordedLater(Path out, Duration later) throws Exception {
        Clock clock = Clock.offset(Clock.systemUTC(), later);
        BuildRecord record = new BuildRecord(target.resolve("twoliter"), "rpm", target, clock);
        Files.createDirectories(target.resolve("twoliter"));
        record.record(new Fingerprint().put("spec", "1"), new Fingerprint().putFile(record.key("output", out), out));
        return record;
    }

    @Test
    void aSettledOutputIsNotReadAgain() throws Exception {
        Path out = Files.writeString(Files.createDirectories(target.resolve("rpms")).resolve("a.rpm"), "rpm bytes");
        BuildRecord record = recordedLater(out, Duration.ofSeconds(10));
        // A digest that no longer matches shows that the check went by the stamp alone.
        Files.writeString(target.resolve("twoliter/rpm-outputs.txt"), "output:rpms/a.rpm=" + "0".repeat(64) + "\n");
        assertThat(record.isUpToDate(new Fingerprint().put("spec", "1"), "m", log)).isTrue();
    }

    @Test
    void aSettledOutputRewrittenWithItsOldSizeAndTimeIsStillSeen() throws Exception {
        Path out = Files.writeString(Files.createDirectories(target.resolve("rpms")).resolve("a.rpm"), "rpm bytes");
        FileTime modified = Files.getLastModifiedTime(out);
        BuildRecord record = recordedLater(out, Duration.ofSeconds(10));
        Thread.sleep(50); // past the file system's clock tick, as FileStamp.SETTLED guarantees in a build
        Files.writeString(out, "RPM BYTES");
        Files.setLastModifiedTime(out, modified);
        assertThat(record.isUpToDate(new Fingerprint().put("spec", "1"), "m", log)).isFalse();
        assertThat(messages).singleElement().asString().contains("is missing or was modified");
    }

    @Test
    void anOutputWrittenInTheLastSecondIsReadAgain() throws Exception {
        BuildRecord record = recorded(new Fingerprint().put("spec", "1"));
        assertThat(Files.readString(target.resolve("twoliter/rpm-output-stamps.txt"))).isEmpty();
        Files.writeString(target.resolve("twoliter/rpm-outputs.txt"), "output:rpms/a.rpm=" + "0".repeat(64) + "\n");
        assertThat(record.isUpToDate(new Fingerprint().put("spec", "1"), "m", log)).isFalse();
    }

    @Test
    void anOutputFoundIntactKeepsItsStampForTheNextCheck() throws Exception {
        recorded(new Fingerprint().put("spec", "1"));
        Path stamps = target.resolve("twoliter/rpm-output-stamps.txt");
        assertThat(Files.readString(stamps)).isEmpty();
        BuildRecord later = new BuildRecord(target.resolve("twoliter"), "rpm", target,
                Clock.offset(Clock.systemUTC(), Duration.ofSeconds(10)));
        assertThat(later.isUpToDate(new Fingerprint().put("spec", "1"), "m", log)).isTrue();
        assertThat(Files.readString(stamps)).startsWith("output:rpms/a.rpm=9:");
        Files.writeString(target.resolve("twoliter/rpm-outputs.txt"), "output:rpms/a.rpm=" + "0".repeat(64) + "\n");
        assertThat(later.isUpToDate(new Fingerprint().put("spec", "1"), "m", log)).isTrue();
    }

    @Test
    void anInvalidatedRecordIsNeverUpToDate() throws Exception {
        BuildRecord record = recorded(new Fingerprint().put("spec", "1"));
        record.invalidate();
        assertThat(record.isUpToDate(new Fingerprint().put("spec", "1"), "m", log)).isFalse();
    }
}
