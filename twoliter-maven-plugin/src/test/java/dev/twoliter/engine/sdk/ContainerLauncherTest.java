package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.io.ProcessOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Making step containers against a fake engine: their spec, sandboxes, spares, and each failure. */
class ContainerLauncherTest {
    private static final SdkImage SDK = new SdkImage("twoliter-sdk:9", "sha256:" + "ab".repeat(32), "twoliter-sdk",
            "9", List.of("x86_64"), Map.of());
    /** Starts a sandbox at once, so the next step is lent it. */
    private static final Executor AT_ONCE = Runnable::run;
    private static final Executor NEVER = r -> {};

    @TempDir
    Path dir;

    private FakeDockerApi docker;
    private ContainerReaper reaper;
    private FileSharing files;
    private ContainerLauncher launcher;

    private ContainerLauncher launcher(boolean localEngine, Executor sandboxes) throws IOException {
        docker = new FakeDockerApi(dir);
        DockerConnection connection = docker.connection(localEngine ? "unix:///fake.sock" : "tcp://fake:2375");
        Path base = Files.createDirectories(dir.resolve("exchange"));
        files = new FileSharing(localEngine, () -> base, Duration.ofSeconds(10));
        reaper = new ContainerReaper(connection);
        launcher = new ContainerLauncher(connection, files, reaper, sandboxes);
        return launcher;
    }

    private ContainerStep step(Map<String, Path> readOnly) {
        return new ContainerStep("mod a", SDK, "true", Map.of(), Map.of(), readOnly, null, dir.resolve("out"),
                dir.resolve("step.log"), Duration.ofMinutes(1), line -> {});
    }

    private ContainerLauncher.StepContainer start(ContainerStep step) throws Exception {
        return launcher.createAndStart(launcher.shape(step), ContainerLauncher.containerName(step.name()), step);
    }

    @Test
    void aStepContainerIsLabelledNetworkLessAndWaitsInTheWrapper() throws Exception {
        launcher(true, NEVER);
        Path kit = Files.createDirectories(dir.resolve("kit"));

        ContainerLauncher.StepContainer container = start(step(Map.of("/work/kits/k", kit)));

        DockerApi.ContainerSpec spec = docker.container(container.id()).spec;
        assertThat(spec.name()).matches("twoliter-mod-a-[0-9a-f]{8}");
        assertThat(spec.image()).isEqualTo(SDK.id());
        assertThat(spec.labels()).containsExactly(Map.entry(ContainerReaper.MANAGED_LABEL, "true"),
                Map.entry(ContainerReaper.OWNER_LABEL, ProcessOwner.self()));
        assertThat(spec.entrypoint()).containsExactly("/bin/bash", "-c", StepWrapper.SCRIPT);
        assertThat(spec.workingDir()).isEqualTo("/work");
        assertThat(spec.networkMode()).isEqualTo("none");
        assertThat(spec.mounts()).containsExactly(new DockerApi.Mount(kit.toAbsolutePath().toString(), "/work/kits/k", false),
                new DockerApi.Mount(container.exchange().directory().toString(), "/work/.twoliter-exchange", true));
        assertThat(spec.env()).containsExactly("TWOLITER_EXCHANGE=/work/.twoliter-exchange");
        assertThat(docker.calls).containsSubsequence("create " + spec.name(), "start " + container.id());
    }

    @Test
    void aRemoteEngineGetsNoMountsAndNoExchangeDirectory() throws Exception {
        launcher(false, NEVER);

        ContainerLauncher.StepContainer container = start(step(Map.of("/work/kits/k", dir)));

        assertThat(container.exchange()).isNull();
        assertThat(docker.container(container.id()).spec.mounts()).isEmpty();
        assertThat(docker.container(container.id()).spec.env()).isEmpty();
    }

    @Test
    void stepsAreLentASandboxOneAtATime() throws Exception {
        launcher(false, AT_ONCE);

        ContainerLauncher.StepContainer first = start(step(Map.of()));
        ContainerLauncher.StepContainer second = start(step(Map.of()));
        ContainerLauncher.StepContainer third = start(step(Map.of()));

        assertThat(first.sandbox()).as("no step waits for a sandbox").isNull();
        DockerApi.ContainerSpec sandbox = docker.container(second.sandbox()).spec;
        assertThat(sandbox.name()).startsWith("twoliter-network-sandbox-");
        assertThat(sandbox.entrypoint()).containsExactly("/bin/bash", "-c", "read -r _");
        assertThat(sandbox.networkMode()).isEqualTo("none");
        assertThat(sandbox.mounts()).isNull();
        assertThat(docker.container(second.id()).spec.networkMode()).isEqualTo("container:" + second.sandbox());
        assertThat(third.sandbox()).as("lent to one container at a time").isNotEqualTo(second.sandbox());
        launcher.remove(second);
        assertThat(start(step(Map.of())).sandbox()).isEqualTo(second.sandbox());
    }

    @Test
    void aDeadSandboxIsRemovedAndTheStepGetsANamespaceOfItsOwn() throws Exception {
        launcher(false, AT_ONCE);
        start(step(Map.of()));
        String sandbox = docker.live().stream().filter(c -> c.name.startsWith("twoliter-network-sandbox-"))
                .findFirst().orElseThrow().id;
        docker.container(sandbox).running = false;
        docker.startFailure = c -> c.spec.networkMode().equals("container:" + sandbox)
                ? new DockerApi.Refused(new RuntimeException("cannot join network of a non running container"))
                : null;

        ContainerLauncher.StepContainer container = start(step(Map.of()));

        assertThat(container.sandbox()).isNull();
        assertThat(docker.container(container.id()).spec.networkMode()).isEqualTo("none");
        assertThat(docker.removed).contains(sandbox);
        assertThat(docker.live()).extracting(c -> c.id).doesNotContain(sandbox)
                .as("the container that could not join was removed").hasSize(2);
        assertThat(start(step(Map.of())).sandbox()).as("no sandbox is lent again").isNull();
    }

    @Test
    void aSandboxTheEngineCannotShareIsGivenUpWhenTheCreateFails() throws Exception {
        launcher(false, AT_ONCE);
        start(step(Map.of()));
        docker.createFailure = spec -> spec.networkMode().startsWith("container:")
                ? new DockerApi.Refused(new RuntimeException("conflicting options")) : null;

        ContainerLauncher.StepContainer container = start(step(Map.of()));

        assertThat(docker.container(container.id()).spec.networkMode()).isEqualTo("none");
        assertThat(docker.live()).hasSize(2);
    }

    @Test
    void whenTheBuildIsStoppingNothingIsCreated() throws Exception {
        launcher(true, AT_ONCE);
        reaper.creations().closeAndAwait(Duration.ZERO);

        assertThatThrownBy(() -> start(step(Map.of())))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Did not start the container for step 'mod a' on Docker at unix:///fake.sock: the build is"
                        + " stopping (interrupted), and its containers are being removed.");
        assertThat(docker.containers).isEmpty();
        try (var exchanges = Files.list(files.exchangeRoot())) {
            assertThat(exchanges).as("the exchange directory made for it is gone").isEmpty();
        }
    }

    @Test
    void anImageThatCannotStartTheWrapperIsNamedAndItsContainerRemoved() throws Exception {
        launcher(false, NEVER);
        docker.startFailure = c -> new DockerApi.Refused(new RuntimeException("exec: \"/bin/bash\": stat /bin/bash:"
                + " no such file or directory"));

        assertThatThrownBy(() -> start(step(Map.of())))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("SDK image twoliter-sdk:9 cannot run step 'mod a': Docker at tcp://fake:2375 refused to start"
                        + " it (exec: \"/bin/bash\": stat /bin/bash: no such file or directory). An SDK image must provide"
                        + " /bin/bash and the tools listed in docs/sdk-contract.md.");
        assertThat(docker.containers).hasSize(1);
        assertThat(docker.live()).isEmpty();
    }

    @Test
    void anEngineThatFailsToCreateOrStartIsNamed() throws Exception {
        launcher(false, NEVER);
        docker.startFailure = c -> new RuntimeException("Connection reset");
        assertThatThrownBy(() -> start(step(Map.of())))
                .hasMessage("Could not start the container for step 'mod a': Docker at tcp://fake:2375 failed"
                        + " (Connection reset).");
        assertThat(docker.live()).isEmpty();

        docker.createFailure = spec -> new RuntimeException("No space left on device");
        assertThatThrownBy(() -> start(step(Map.of())))
                .hasMessage("Could not create the container for step 'mod a': Docker at tcp://fake:2375 failed"
                        + " (No space left on device).");
    }

    @Test
    void sparesAreStartedAheadAndTakenUnderTheStepsName() throws Exception {
        launcher(false, NEVER);
        launcher.keepWarm(1);
        WarmContainers.Shape shape = launcher.shape(step(Map.of()));

        launcher.refill(shape);
        java.util.Optional<ContainerLauncher.StepContainer> taken = java.util.Optional.empty();
        for (int i = 0; i < 500 && taken.isEmpty(); i++) {
            Thread.sleep(10);
            taken = launcher.takeSpare(shape, "twoliter-mod-a-1");
        }
        ContainerLauncher.StepContainer spare = taken.orElseThrow();

        assertThat(docker.container(spare.id()).spec.name()).startsWith("twoliter-spare-");
        assertThat(docker.container(spare.id()).name).isEqualTo("twoliter-mod-a-1");
        assertThat(launcher.takeSpare(shape, "twoliter-mod-a-2")).isEmpty();
    }
}
