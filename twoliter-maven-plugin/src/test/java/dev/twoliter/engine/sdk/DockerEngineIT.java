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

    @Test
    void aStepSeesTheSameFilesWhetherTheyTravelThroughTheExchangeDirectoryOrTheApi() throws Exception {
        Path input = Files.writeString(dir.resolve("hello.c"), "int main;\n");
        Path tool = Files.writeString(dir.resolve("tool.sh"), "#!/bin/sh\n");
        tool.toFile().setExecutable(true, true);
        String script = """
                stat -c '%n %a %U:%G %Y %s' /work/in/hello.c /work/in/tool.sh /work/in /work/.twoliter-step.sh
                printf '%s|' "$GREETING" "$TWOLITER_EXCHANGE"; echo
                mkdir -p /work/out/sub && cp /work/in/tool.sh /work/out/sub/ && echo data > /work/out/data.txt
                """;
        Map<String, Path> inputs = Map.of("/work/in/hello.c", input, "/work/in/tool.sh", tool);
        List<String> exchanged = new CopyOnWriteArrayList<>();
        assertThat(docker.run(step(script, inputs, Duration.ofMinutes(2), exchanged), dir.resolve("scratch")).succeeded()).isTrue();
        List<String> archived = new CopyOnWriteArrayList<>();
        DockerEngine archives = DockerEngine.open(DockerEngine.DEFAULT_HOST, DockerTimeouts.DEFAULTS,
                dev.twoliter.engine.Terms.PLAIN, BuildLog.SILENT);
        archives.useArchives();
        Path otherOut = dir.resolve("out-archived");
        ContainerStep viaApi = new ContainerStep("engine-test", sdk, script, Map.of("GREETING", "hi"), inputs, Map.of(),
                "/work/out", otherOut, dir.resolve("logs/archived.log"), Duration.ofMinutes(2), archived::add);
        assertThat(archives.run(viaApi, dir.resolve("scratch")).succeeded()).isTrue();

        assertThat(exchanged).isEqualTo(archived).contains("/work/in/hello.c 644 root:root 0 10", "hi||");
        for (String file : List.of("sub/tool.sh", "data.txt")) {
            assertThat(dir.resolve("out").resolve(file)).hasSameBinaryContentAs(otherOut.resolve(file));
            assertThat(Files.isExecutable(dir.resolve("out").resolve(file))).isEqualTo(Files.isExecutable(otherOut.resolve(file)));
        }
        assertThat(Files.isExecutable(dir.resolve("out/sub/tool.sh"))).isTrue();
        assertThat(labelledContainers()).isEmpty();
    }

    @Test
    void aLinkAmongAStepsOutputsFailsTheStepInBothModes() throws Exception {
        String script = "mkdir -p /work/out && ln -s /etc/shadow /work/out/shadow";
        assertThatThrownBy(() -> docker.run(step(script, Map.of(), Duration.ofMinutes(2), new CopyOnWriteArrayList<>()),
                dir.resolve("scratch"))).hasMessageContaining("'/work/out/shadow' is a symbolic link to '/etc/shadow'");
        DockerEngine archives = DockerEngine.open(DockerEngine.DEFAULT_HOST, DockerTimeouts.DEFAULTS,
                dev.twoliter.engine.Terms.PLAIN, BuildLog.SILENT);
        archives.useArchives();
        assertThatThrownBy(() -> archives.run(step(script, Map.of(), Duration.ofMinutes(2), new CopyOnWriteArrayList<>()),
                dir.resolve("scratch"))).hasMessageContaining("is a symbolic link to '/etc/shadow'");
        assertThat(dir.resolve("out/shadow")).doesNotExist();
        assertThat(labelledContainers()).isEmpty();
    }

    @Test
    void containersStartedAheadRunOneStepEachWithoutNetwork() throws Exception {
        DockerEngine engine = DockerEngine.open(DockerEngine.DEFAULT_HOST, DockerTimeouts.DEFAULTS,
                dev.twoliter.engine.Terms.PLAIN, BuildLog.SILENT);
        engine.keepWarm(1);
        String script = "ls /sys/class/net | tr '\\n' ' '; echo; ls /work; touch /work/used-before; mkdir -p /work/out";
        List<String> first = new CopyOnWriteArrayList<>();
        StepOutcome one = engine.run(step(script, Map.of(), Duration.ofMinutes(2), first), dir.resolve("scratch"));
        Thread.sleep(3000);
        List<String> second = new CopyOnWriteArrayList<>();
        StepOutcome two = engine.run(step(script, Map.of(), Duration.ofMinutes(2), second), dir.resolve("scratch"));
        assertThat(one.timings()).contains("create and start");
        assertThat(two.timings()).contains("started ahead");
        assertThat(second).isEqualTo(first).startsWith("lo ").noneMatch(line -> line.contains("used-before"));
        assertThat(labelledContainers()).isEmpty();
    }

    private static List<String> labelledContainers() throws Exception {
        Process p = new ProcessBuilder("docker", "ps", "-aq", "--filter", "name=twoliter-engine-test-")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }
}
