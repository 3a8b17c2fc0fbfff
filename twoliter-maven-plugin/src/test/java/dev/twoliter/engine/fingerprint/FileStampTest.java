package dev.twoliter.engine.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStampTest {
    @TempDir
    Path dir;

    @Test
    void aFileJustWrittenHasNoSettledStampYet() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThat(FileStamp.of(file)).isPresent();
        assertThat(FileStamp.ofSettled(file, Instant.now())).isEmpty();
        assertThat(FileStamp.ofSettled(file, Instant.now().plusSeconds(2))).isEqualTo(FileStamp.of(file));
    }

    @Test
    void replacingAFileWithTheSameBytesAndTimeChangesItsStamp() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "same");
        String before = FileStamp.of(file).orElseThrow();
        Thread.sleep(50);
        Path replacement = Files.writeString(dir.resolve("g"), "same");
        Files.setLastModifiedTime(replacement, Files.getLastModifiedTime(file));
        Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(FileStamp.of(file)).isPresent().get().isNotEqualTo(before);
    }

    @Test
    void directoriesAndMissingFilesHaveNoStamp() throws Exception {
        assertThat(FileStamp.of(dir)).isEmpty();
        assertThat(FileStamp.ofSettled(dir, Instant.now().plusSeconds(5))).isEmpty();
        assertThat(FileStamp.of(dir.resolve("missing"))).isEmpty();
    }
}
