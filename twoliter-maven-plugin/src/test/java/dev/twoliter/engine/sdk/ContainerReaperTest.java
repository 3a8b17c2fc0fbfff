package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.io.ProcessOwner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers never outlive their build: removal, Ctrl-C, and the leftovers of killed builds. */
class ContainerReaperTest {
    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    private static Map<String, String> ownedBy(String owner) {
        return Map.of(ContainerReaper.MANAGED_LABEL, "true", ContainerReaper.OWNER_LABEL, owner);
    }

    /** This process, but started at another time: the owner that label names is gone. */
    private static String deadOwner() {
        String[] self = ProcessOwner.self().split("/");
        return self[0] + "/" + self[1] + "/" + (Long.parseLong(self[2]) + 1);
    }

    @Test
    void leftoversOfDeadOwnersAreRemovedAndEveryOtherContainerIsKept() {
        FakeDockerApi docker = new FakeDockerApi(dir);
        docker.listed.add(new DockerApi.Listed("dead", ownedBy(deadOwner())));
        docker.listed.add(new DockerApi.Listed("live", ownedBy(ProcessOwner.self())));
        docker.listed.add(new DockerApi.Listed("other-host", ownedBy("elsewhere/1/1")));
        docker.listed.add(new DockerApi.Listed("no-owner", Map.of(ContainerReaper.MANAGED_LABEL, "true")));

        ContainerReaper.removeLeftovers(docker, log);

        assertThat(docker.calls).startsWith("list dev.twoliter.managed=true");
        assertThat(docker.removed).containsExactly("dead");
        assertThat(log.lines()).containsExactly("INFO Removed 1 container(s) left behind by an interrupted twoliter build");
    }

    @Test
    void aLeftoverThatCannotBeRemovedIsNotCountedAndNothingStopsTheBuild() {
        FakeDockerApi docker = new FakeDockerApi(dir);
        docker.listed.add(new DockerApi.Listed("stuck", ownedBy(deadOwner())));
        docker.removeFailure = id -> new DockerApi.Refused(new RuntimeException("removal already in progress"));

        ContainerReaper.removeLeftovers(docker, log);

        assertThat(log.lines()).containsExactly("DEBUG Could not remove leftover container stuck: removal already in progress");
    }

    @Test
    void aContainerThatCouldNotBeRemovedIsTriedAgainAtShutdown() throws Exception {
        FakeDockerApi docker = new FakeDockerApi(dir);
        DockerConnection connection = docker.connection();
        connection.api();
        ContainerReaper reaper = new ContainerReaper(connection);
        reaper.created("c1");
        reaper.created("c2");
        docker.removeFailure = id -> new RuntimeException("Read timed out");
        reaper.remove("c1");
        docker.removeFailure = id -> null;
        reaper.remove("c2");
        reaper.remove("c2");

        reaper.removeAll(() -> {});

        assertThat(docker.calls).containsExactly("remove c1", "remove c2", "remove c2", "remove c1");
        assertThat(docker.removed).containsExactly("c2", "c1");
    }

    @Test
    void withoutAClientNothingWasCreatedAndNothingIsRemoved() {
        FakeDockerApi docker = new FakeDockerApi(dir);
        ContainerReaper reaper = new ContainerReaper(docker.connection());

        reaper.remove("c1");
        reaper.removeAll(() -> {});

        assertThat(docker.calls).isEmpty();
    }

    @Test
    void shutdownWaitsForACreateInFlightAndRemovesItsContainerWithTheRest() throws Exception {
        FakeDockerApi docker = new FakeDockerApi(dir);
        DockerConnection connection = docker.connection();
        connection.api();
        ContainerReaper reaper = new ContainerReaper(connection);
        reaper.created("early");
        assertThat(reaper.creations().enter()).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            reaper.removeAll(() -> order.add("spares stopped"));
            done.countDown();
        });
        hook.start();

        assertThat(done.await(300, TimeUnit.MILLISECONDS)).as("the hook waits for the create request").isFalse();
        assertThat(order).isEmpty();
        assertThat(reaper.creations().enter()).as("no create starts once the build is stopping").isFalse();
        reaper.created("late");
        reaper.creations().exit();

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("spares stopped");
        assertThat(docker.removed).containsExactlyInAnyOrder("early", "late");
    }
}
