package dev.twoliter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's boundaries, read from the sources: it knows nothing of Maven, only one class talks to
 * Docker, and its packages depend on each other in one direction only.
 */
class ArchitectureTest {
    private static final Path ENGINE = Path.of("src/main/java/dev/twoliter/engine");
    private static final Pattern ENGINE_REFERENCE = Pattern.compile("\\bdev\\.twoliter\\.(engine(?:\\.[a-z]+)*)\\.[A-Z]");
    private static final Map<Path, String> SOURCES = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(ENGINE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                SOURCES.put(ENGINE.relativize(file), Files.readString(file));
            }
        }
        assertThat(SOURCES).hasSizeGreaterThan(50);
    }

    @Test
    void theEngineUsesNoMavenType() {
        List<String> offenders = new ArrayList<>();
        SOURCES.forEach((file, text) -> {
            for (String forbidden : List.of("org.apache.maven", "org.eclipse.aether", "org.codehaus.plexus",
                    "dev.twoliter.maven")) {
                if (text.contains(forbidden)) {
                    offenders.add(file + " uses " + forbidden);
                }
            }
        });
        assertThat(offenders).isEmpty();
    }

    @Test
    void onlyDockerJavaApiTalksToDocker() {
        List<Path> clients = SOURCES.entrySet().stream().filter(e -> e.getValue().contains("com.github.dockerjava")
                || e.getValue().contains("org.testcontainers")).map(Map.Entry::getKey).toList();
        assertThat(clients).containsExactlyInAnyOrder(Path.of("sdk/DockerJavaApi.java"), Path.of("sdk/ImageJson.java"));
        List<Path> sockets = SOURCES.entrySet().stream().filter(e -> e.getValue().contains("UnixDomainSocketAddress"))
                .map(Map.Entry::getKey).toList();
        assertThat(sockets).containsExactly(Path.of("sdk/LocalDockerSocket.java"));
        // DockerEngine's helpers are hidden in its package: nothing else can reach Docker through them.
        for (String helper : List.of("ImageJson", "LocalDockerSocket", "StepExchange", "WarmContainers", "Sandboxes",
                "DockerJavaApi", "DockerConnection", "SdkImageLookup", "ContainerLauncher", "ContainerReaper",
                "StepRunner", "StepFiles", "FileSharing")) {
            assertThat(SOURCES.get(Path.of("sdk/" + helper + ".java"))).contains("\nfinal class " + helper);
        }
        assertThat(SOURCES.get(Path.of("sdk/DockerApi.java"))).contains("\ninterface DockerApi");
    }

    @Test
    void enginePackagesFormNoCycle() {
        Map<String, Set<String>> uses = new TreeMap<>();
        SOURCES.forEach((file, text) -> {
            String pkg = packageOf(file);
            Matcher m = ENGINE_REFERENCE.matcher(text);
            while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                    uses.computeIfAbsent(pkg, k -> new TreeSet<>()).add(m.group(1));
                }
            }
        });
        assertThat(uses.getOrDefault("engine", Set.of())).as("the root package is the base of all others").isEmpty();
        for (String start : uses.keySet()) {
            assertThat(reachable(start, uses)).as("packages %s reaches; it must not reach itself", start)
                    .doesNotContain(start);
        }
    }

    @Test
    void theFoundationKnowsNoPipeline() {
        Set<String> pipelines = Set.of("engine.rpm", "engine.prebuilt", "engine.kit", "engine.image", "engine.vm");
        SOURCES.forEach((file, text) -> {
            String pkg = packageOf(file);
            if (!pipelines.contains(pkg)) {
                Matcher m = ENGINE_REFERENCE.matcher(text);
                while (m.find()) {
                    assertThat(pipelines).as("%s uses %s", file, m.group(1)).doesNotContain(m.group(1));
                }
            }
        });
    }

    private static String packageOf(Path file) {
        Path dir = file.getParent();
        return dir == null ? "engine" : "engine." + dir.toString().replace('/', '.');
    }

    private static Set<String> reachable(String start, Map<String, Set<String>> uses) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(uses.getOrDefault(start, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(uses.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }
}
