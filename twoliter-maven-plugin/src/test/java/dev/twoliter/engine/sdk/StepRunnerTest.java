package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.TwoliterException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One step against a fake engine: files in and out, the log, exit codes, and the container always removed. */
class StepRunnerTest {
    private static final SdkImage SDK = new SdkImage("twoliter-sdk:9", "sha256:" + "ab".repeat(32), "twoliter-sdk",
            "9", List.of("x86_64"), Map.of());
    /** Sandboxes are never started: each step container gets a network namespace of its own. */
    private static final java.util.concurrent.Executor NO_SANDBOXES = r -> {};

    @TempDir
    Path dir;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private FakeDockerApi docker;
    private StepRunner runner;

    private StepRunner remote() {
        docker = new FakeDockerApi(dir);
        DockerConnection connection = docker.connection();
        FileSharing files = new FileSharing(false, () -> dir.resolve("exchange"), Duration.ofSeconds(10));
        runner = new StepRunner(connection, files,
                new ContainerLauncher(connection, files, new ContainerReaper(connection), NO_SANDBOXES));
        return runner;
    }

    private StepRunner local(Duration readyWait) throws IOException {
        docker = new FakeDockerApi(dir);
        DockerConnection connection = docker.connection("unix:///fake.sock");
        Path base = Files.createDirectories(dir.resolve("exchange"));
        FileSharing files = new FileSharing(true, () -> base, readyWait);
        runner = new StepRunner(connection, files,
                new ContainerLauncher(connection, files, new ContainerReaper(connection), NO_SANDBOXES));
        return runner;
    }

    private ContainerStep step(Map<String, Path> inputs, String outputPath) {
        return new ContainerStep("mod-a", SDK, "echo hi", Map.of("GREETING", "hi"), inputs, Map.of(), outputPath,
                dir.resolve("out"), dir.resolve("logs/step.log"), Duration.ofMinutes(3), lines::add);
    }

    @Test
    void aSucceededStepGetsItsInputsAndHandsBackItsOutputsThroughArchives() throws Exception {
        remote();
        Path input = Files.writeString(dir.resolve("in.txt"), "payload");
        docker.step = c -> new FakeDockerApi.Run(List.of("building\n"), 0, Map.of("sub/copy.txt",
                c.inputs().get("work/in/in.txt")));

        StepOutcome outcome = runner.run(step(Map.of("/work/in/in.txt", input), "/work/out"), dir.resolve("scratch"));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.timings()).contains("create and start", "copy in", "run", "copy out", "remove");
        assertThat(dir.resolve("out/sub/copy.txt")).hasContent("payload");
        FakeDockerApi.Container container = docker.container("c1");
        assertThat(container.copiedIn).containsEntry("work/in/in.txt", "payload")
                .containsEntry("work/.twoliter-step.sh", "echo hi")
                .containsEntry("work/.twoliter-env", "GREETING=hi\0")
                .containsEntry("work/.twoliter-go", "");
        assertThat(docker.calls).contains("copy in c1 /", "copy out c1 /work/out");
        assertThat(docker.live()).isEmpty();
        assertThat(runner.stepsRun()).isEqualTo(1);
        try (var scratch = Files.list(dir.resolve("scratch"))) {
            assertThat(scratch).as("the script and environment files are gone").isEmpty();
        }
    }

    @Test
    void theLogReachesTheSinkAndTheLogFileLineByLine() throws Exception {
        remote();
        docker.step = c -> new FakeDockerApi.Run(List.of("hel", "lo\nwor", "ld\nlast line without end"), 3, Map.of());

        StepOutcome outcome = runner.run(step(Map.of(), "/work/out"), dir.resolve("scratch"));

        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(lines).containsExactly("hello", "world", "last line without end");
        assertThat(dir.resolve("logs/step.log")).hasContent("hello\nworld\nlast line without end");
        assertThat(docker.calls).as("a failed step's outputs are not copied").noneMatch(c -> c.startsWith("copy out"))
                .contains("logs closed c1");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void aStepThatDoesNotExitInTimeIsStoppedAndRemoved() throws Exception {
        remote();
        docker.step = c -> new FakeDockerApi.Run(List.of("still going"), null, Map.of());

        assertThatThrownBy(() -> runner.run(step(Map.of(), null), dir.resolve("scratch")))
                .isExactlyInstanceOf(TwoliterException.class)
                .hasMessage("Step 'mod-a' did not finish within 3 minutes and was stopped. Full log: "
                        + dir.resolve("logs/step.log"));
        assertThat(lines).containsExactly("still going");
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void anEngineThatFailsWhileTheStepRunsIsNamed() throws Exception {
        remote();
        docker.waitError = new RuntimeException("connection reset");

        assertThatThrownBy(() -> runner.run(step(Map.of(), null), dir.resolve("scratch")))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Docker at tcp://fake:2375 failed while step 'mod-a' was running (connection reset)."
                        + " Full log: " + dir.resolve("logs/step.log"));
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void aMissingSdkToolNamesTheToolAndTheImage() throws Exception {
        remote();
        docker.step = c -> FakeDockerApi.Run.exit(StepExit.SDK_TOOL_MISSING.code(),
                "twoliter: the SDK lacks rpmbuild\n", "other output\n");

        assertThatThrownBy(() -> runner.run(step(Map.of(), "/work/out"), dir.resolve("scratch")))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("SDK image twoliter-sdk:9 lacks a tool that step 'mod-a' needs: rpmbuild. Use an SDK image"
                        + " that follows docs/sdk-contract.md. Full log: " + dir.resolve("logs/step.log"));
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void outputsThatCannotBeCopiedOutFailTheStepWithTheReason() throws Exception {
        remote();
        docker.step = c -> FakeDockerApi.Run.exit(0);

        assertThatThrownBy(() -> runner.run(step(Map.of(), "/work/out"), dir.resolve("scratch")))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Could not copy the outputs of step 'mod-a' out of its container: Could not find the file"
                        + " /work/out in container c1.");
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void inputsTheEngineRefusesAreNamedAndTheContainerRemoved() throws Exception {
        remote();
        Path input = Files.writeString(dir.resolve("in.txt"), "payload");
        docker.copyInFailure = new UncheckedIOException(new IOException("Broken pipe"));

        assertThatThrownBy(() -> runner.run(step(Map.of("/work/in/in.txt", input), null), dir.resolve("scratch")))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Could not copy the inputs of step 'mod-a' into its container: Docker at tcp://fake:2375"
                        + " failed (Broken pipe).");
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void onALocalEngineFilesTravelThroughTheExchangeDirectory() throws Exception {
        local(Duration.ofSeconds(10));
        Path input = Files.writeString(dir.resolve("in.txt"), "payload");
        docker.step = c -> new FakeDockerApi.Run(List.of(), 0, Map.of("copy.txt", c.inputs().get("work/in/in.txt")));

        assertThat(runner.run(step(Map.of("/work/in/in.txt", input), "/work/out"), dir.resolve("scratch"))
                .succeeded()).isTrue();

        assertThat(dir.resolve("out/copy.txt")).hasContent("payload");
        FakeDockerApi.Container container = docker.container("c1");
        assertThat(container.spec.env()).containsExactly("TWOLITER_EXCHANGE=/work/.twoliter-exchange");
        assertThat(container.copiedIn).isEmpty();
        assertThat(docker.calls).noneMatch(c -> c.startsWith("copy "));
        assertThat(container.exchange()).as("the exchange directory goes with its container").doesNotExist();
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void anEngineThatDoesNotSeeTheExchangeDirectoryGetsArchivesFromThenOn() throws Exception {
        local(Duration.ofMillis(50));
        docker.seesExchange = false;
        Path input = Files.writeString(dir.resolve("in.txt"), "payload");

        assertThat(runner.run(step(Map.of("/work/in/in.txt", input), null), dir.resolve("scratch")).succeeded()).isTrue();
        assertThat(runner.run(step(Map.of("/work/in/in.txt", input), null), dir.resolve("scratch")).succeeded()).isTrue();

        assertThat(lines).containsExactly("twoliter: Docker at unix:///fake.sock does not see this machine's files at"
                + " the same paths; step files travel through the Docker API instead");
        assertThat(docker.containers.values()).extracting(c -> c.spec.env())
                .containsExactly(List.of("TWOLITER_EXCHANGE=/work/.twoliter-exchange"), List.of(), List.of());
        assertThat(docker.container("c2").copiedIn).containsEntry("work/in/in.txt", "payload");
        assertThat(docker.container("c1").copiedIn).isEmpty();
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void aWrapperThatCouldNotMoveTheFilesSaysWhy() throws Exception {
        local(Duration.ofSeconds(10));
        Path[] exchange = new Path[1];
        docker.step = c -> {
            exchange[0] = c.exchange();
            try {
                Files.writeString(c.exchange().resolve("failed"), "copying the inputs into place failed\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return FakeDockerApi.Run.exit(StepWrapper.EXCHANGE_FAILED);
        };

        assertThatThrownBy(() -> runner.run(step(Map.of(), "/work/out"), dir.resolve("scratch")))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Step 'mod-a' could not move its files through " + exchange[0] + ": copying the inputs"
                        + " into place failed. Full log: " + dir.resolve("logs/step.log"));
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void exit125WithoutTheWrappersWordIsTheStepsOwnCode() throws Exception {
        remote();
        docker.step = c -> FakeDockerApi.Run.exit(StepWrapper.EXCHANGE_FAILED);

        assertThat(runner.run(step(Map.of(), "/work/out"), dir.resolve("scratch")).exitCode()).isEqualTo(125);
    }

    @Test
    void anEngineThatRefusesToFollowTheOutputIsNamedAndTheContainerRemoved() throws Exception {
        remote();
        docker.logsFailure = new DockerApi.Refused(new RuntimeException("Status 500: engine gone"));

        assertThatThrownBy(() -> runner.run(step(Map.of(), null), dir.resolve("scratch")))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Could not follow the output of step 'mod-a': Docker at tcp://fake:2375 failed"
                        + " (Status 500: engine gone).");
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void anEngineThatRefusesTheWaitIsNamedAndTheContainerRemoved() throws Exception {
        remote();
        docker.waitRequestFailure = new DockerApi.Refused(new RuntimeException("Status 500: engine gone"));

        assertThatThrownBy(() -> runner.run(step(Map.of(), null), dir.resolve("scratch")))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Could not wait for step 'mod-a' to end: Docker at tcp://fake:2375 failed"
                        + " (Status 500: engine gone).");
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void aReplacementThatCannotBeMadeLeavesTheFirstContainerRemovedOnce() throws Exception {
        local(Duration.ofMillis(50));
        docker.seesExchange = false;
        docker.createFailure = spec -> docker.containers.isEmpty() ? null : new RuntimeException("no space left");

        assertThatThrownBy(() -> runner.run(step(Map.of(), null), dir.resolve("scratch")))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessageContaining("no space left");
        assertThat(docker.calls).filteredOn(call -> call.startsWith("remove ")).containsExactly("remove c1");
        assertThat(docker.live()).isEmpty();
    }
}
