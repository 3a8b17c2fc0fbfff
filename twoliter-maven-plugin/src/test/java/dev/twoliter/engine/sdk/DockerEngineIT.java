package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real Docker engine and SDK image that .ci/setup provides. */
class DockerEngineIT {
    private static final String SDK = System.getProperty("twoliter.sdkImage", "twoliter-sdk:0.1.0");
    private static DockerEngine docker;
    private static SdkImage sdk;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() throws Exception {
        docker = DockerEngine.connect(null, BuildLog.SILENT);
        sdk = docker.sdkImage(SDK, false, BuildLog.SILENT);
    }

    private ContainerStep step(String script, Map<String, Path> inputs, Duration timeout, List<String> lines) {
        return new ContainerStep("engine-test", sdk, script, Map.of("GREETING", "hi"), inputs, Map.of(), "/work/out",
                dir.resolve("out"), dir.resolve("logs/step.log"), timeout, lines::add);
    }

    @Test
    void copiesInputsInRunsWithoutNetworkAndCopiesOutputsOut() throws Exception {
        Path input = Files.writeString(dir.resolve("in.txt"), "payload\n");
        List<String> lines = new CopyOnWriteArrayList<>();
        StepOutcome outcome = docker.run(step("""
                mkdir -p /work/out/sub
                cat /work/in/in.txt > /work/out/sub/copy.txt
                echo "$GREETING from $(ls /sys/class/net | tr '\\n' ' ')"
                """, Map.of("/work/in/in.txt", input), Duration.ofMinutes(2), lines), dir.resolve("scratch"));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(dir.resolve("out/sub/copy.txt")).hasContent("payload");
        assertThat(lines).containsExactly("hi from lo ");
        assertThat(dir.resolve("logs/step.log")).hasContent("hi from lo ");
        assertThat(labelledContainers()).isEmpty();
    }

    @Test
    void aFailingStepReportsItsExitCodeAndIsRemoved() throws Exception {
        StepOutcome outcome = docker.run(step("echo about to fail; exit 7", Map.of(), Duration.ofMinutes(2),
                new CopyOnWriteArrayList<>()), dir.resolve("scratch"));

        assertThat(outcome.exitCode()).isEqualTo(7);
        assertThat(outcome.logTail(5)).containsExactly("about to fail");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(labelledContainers()).isEmpty();
    }

    @Test
    void aStepThatOverrunsItsTimeoutIsStoppedAndRemoved() throws Exception {
        long start = System.nanoTime();
        assertThatThrownBy(() -> docker.run(step("sleep 600", Map.of(), Duration.ofSeconds(2),
                new CopyOnWriteArrayList<>()), dir.resolve("scratch")))
                .isInstanceOf(TwoliterException.class).hasMessageContaining("did not finish within");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(labelledContainers()).isEmpty();
    }

    @Test
    void anUnreachableEngineFailsFastWithAFix() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> DockerEngine.connect("unix://" + dir.resolve("no.sock"), BuildLog.SILENT))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessageContaining("Docker is not reachable at unix://")
                .hasMessageContaining("Start the Docker engine");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingSdkImageIsNeverPulledUnasked() {
        assertThatThrownBy(() -> docker.sdkImage("twoliter-sdk:no-such-version", false, BuildLog.SILENT))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessageContaining("twoliter-sdk:no-such-version is not in the local Docker engine")
                .hasMessageContaining("sdk/build-offline.sh");
    }

    @Test
    void theSdkImageFollowsTheContract() throws Exception {
        assertThat(sdk.arches()).contains("x86_64", "aarch64");
        assertThat(sdk.macrosFor("x86_64")).isEqualTo("/usr/share/twoliter/macros/x86_64.macros");
    }

    private static List<String> labelledContainers() throws Exception {
        Process p = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=dev.twoliter.step=engine-test")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }
}
