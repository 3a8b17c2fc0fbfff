package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mounts and exchange directories only where the engine sees this machine's files. */
class FileSharingTest {
    @TempDir
    Path base;

    @Test
    void onlyAUnixSocketMayShareFiles() {
        assertThat(new FileSharing("unix:///var/run/docker.sock").sharesFileSystem()).isTrue();
        FileSharing remote = new FileSharing("tcp://build2:2376");
        assertThat(remote.sharesFileSystem()).isFalse();
        assertThat(remote.exchangeWanted()).isFalse();
    }

    @Test
    void anEngineThatSeesTheExchangeDirectoryKeepsMounts() throws Exception {
        FileSharing files = new FileSharing(true, () -> base, Duration.ofSeconds(5));
        StepExchange exchange = StepExchange.create(files.exchangeRoot(), "step");
        Files.writeString(exchange.directory().resolve("ready"), "");

        assertThat(files.exchangeUnchecked()).isTrue();
        assertThat(files.checkExchange(exchange)).isTrue();
        assertThat(files.exchangeUnchecked()).isFalse();
        assertThat(files.sharesFileSystem()).isTrue();
        assertThat(files.exchangeWanted()).isTrue();
    }

    @Test
    void anEngineThatDoesNotSeeItGetsArchivesAndCopiesFromThenOn() throws Exception {
        FileSharing files = new FileSharing(true, () -> base, Duration.ofMillis(20));

        assertThat(files.checkExchange(StepExchange.create(files.exchangeRoot(), "step"))).isFalse();
        assertThat(files.exchangeWanted()).isFalse();
        assertThat(files.sharesFileSystem()).as("kits are copied, not mounted").isFalse();
    }

    @Test
    void archivesCanBeAskedForAndStillMountKits() {
        FileSharing files = new FileSharing(true, () -> base, Duration.ofSeconds(5));
        files.useArchives();

        assertThat(files.exchangeWanted()).isFalse();
        assertThat(files.sharesFileSystem()).isTrue();
    }

    @Test
    void theExchangeRootIsMadeOnceSweepingLeftoversAndDeletedAtTheEnd() throws Exception {
        String[] self = dev.twoliter.engine.io.ProcessOwner.self().split("/");
        Path leftover = Files.createDirectory(base.resolve(".exchange." + self[0] + "." + self[1] + "."
                + (Long.parseLong(self[2]) + 1) + ".0badbeef.part"));
        FileSharing files = new FileSharing(true, () -> base, Duration.ofSeconds(5));

        Path root = files.exchangeRoot();
        assertThat(files.exchangeRoot()).isEqualTo(root);
        assertThat(root.getParent()).isEqualTo(base);
        StepExchange.create(root, "step");
        files.deleteExchangeRoot();

        assertThat(root).doesNotExist();
        assertThat(leftover).as("the directory of a build that is gone is swept").doesNotExist();
    }
}
