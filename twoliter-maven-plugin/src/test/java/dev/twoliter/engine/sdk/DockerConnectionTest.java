package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildEnvironmentException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client is opened once, on first use, and a failure to open it is worded and tried again. */
class DockerConnectionTest {
    @TempDir
    Path dir;

    @Test
    void theClientIsOpenedOnFirstUseOnceAndSweepsThen() throws Exception {
        FakeDockerApi docker = new FakeDockerApi(dir);
        AtomicInteger opened = new AtomicInteger();
        List<DockerApi> swept = new CopyOnWriteArrayList<>();
        DockerConnection connection = new DockerConnection("unix:///fake.sock", DockerTimeouts.DEFAULTS, null, () -> {
            opened.incrementAndGet();
            return docker;
        }, swept::add);

        assertThat(connection.loadedApi()).isNull();
        assertThat(opened.get()).isZero();
        assertThat(connection.api()).isSameAs(docker);
        assertThat(connection.api()).isSameAs(docker);
        assertThat(connection.loadedApi()).isSameAs(docker);
        assertThat(opened.get()).isEqualTo(1);
        assertThat(swept).containsExactly(docker);
    }

    @Test
    void aClientThatCannotBeSetUpIsNamedAndTriedAgain() throws Exception {
        FakeDockerApi docker = new FakeDockerApi(dir);
        AtomicInteger attempts = new AtomicInteger();
        DockerConnection connection = new DockerConnection("unix:///fake.sock", DockerTimeouts.DEFAULTS, null, () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException(new java.io.IOException("~/.docker/config.json: unexpected character"));
            }
            return docker;
        }, api -> {});

        assertThatThrownBy(connection::api).isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Could not set up the Docker client for unix:///fake.sock: ~/.docker/config.json:"
                        + " unexpected character");
        assertThat(connection.loadedApi()).isNull();
        assertThat(connection.api()).isSameAs(docker);
    }

    @Test
    void failuresNameTheActionTheEngineAndTheCause() {
        DockerConnection connection = new FakeDockerApi(dir).connection("tcp://user:secret@build2:2376");

        assertThat(connection.failure("create a container for the next step", new RuntimeException("boom")))
                .hasMessage("Could not create a container for the next step: Docker at tcp://***@build2:2376 failed"
                        + " (boom).");
    }

    @Test
    void anErrorStatusKeepsTheEnginesWords() {
        DockerApi.Refused refused = new DockerApi.NotFound(new RuntimeException("Status 404: No such container: c1"));

        assertThat(refused).hasMessage("Status 404: No such container: c1");
        assertThat(DockerConnection.rootMessage(refused)).isEqualTo("Status 404: No such container: c1");
    }
}
