package dev.twoliter.engine.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporariesTest {
    @TempDir
    Path dir;

    private static final long NO_SUCH_PID = (1L << 22) + 12345;

    @Test
    void namesCarryTheOwnerAndAreSweptOnlyWhenItIsGone() throws Exception {
        Path live = Temporaries.newFile(dir, "download");
        Path liveDir = Temporaries.newDirectory(dir, "unpack");
        String host = ProcessOwner.host();
        Path dead = Files.writeString(dir.resolve(".download." + host + "." + NO_SUCH_PID + ".1.deadbeef.part"), "x");
        Path deadDir = Files.createDirectories(dir.resolve(".unpack." + host + "." + NO_SUCH_PID + ".1.deadbeef.part/a/b"))
                .getParent().getParent();
        Files.writeString(deadDir.resolve("a/b/file"), "half");
        Path unrelated = Files.writeString(dir.resolve("payload.part"), "not ours");

        assertThat(Temporaries.sweep(dir)).containsExactlyInAnyOrder(dead.getFileName().toString(),
                deadDir.getFileName().toString());
        assertThat(live).exists();
        assertThat(liveDir).exists();
        assertThat(unrelated).exists();
        assertThat(dead).doesNotExist();
        assertThat(deadDir).doesNotExist();
    }

    @Test
    void aReusedPidDoesNotKeepALeftoverAlive() throws Exception {
        long self = ProcessHandle.current().pid();
        Path reused = Files.writeString(dir.resolve(".download." + ProcessOwner.host() + "." + self + ".1.cafebabe.part"),
                "x");
        assertThat(Temporaries.sweep(dir)).containsExactly(reused.getFileName().toString());
    }

    @Test
    void otherHostsLeftoversGoOnlyWhenOld() throws Exception {
        Path fresh = Files.writeString(dir.resolve(".download.elsewhere.42.1.00000000.part"), "x");
        Path old = Files.writeString(dir.resolve(".download.elsewhere.43.1.11111111.part"), "x");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        assertThat(Temporaries.sweep(dir)).containsExactly(old.getFileName().toString());
        assertThat(fresh).exists();
    }

    @Test
    void aMissingDirectoryHasNothingToSweep() {
        assertThat(Temporaries.sweep(dir.resolve("none"))).isEmpty();
    }
}
