package dev.twoliter.engine.rpm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.source.ExternalSource;
import dev.twoliter.engine.source.SourceCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Problems in a module's own inputs are reported before Docker is contacted. */
class RpmBuildValidationTest {
    private static final String NO_DOCKER = "unix:///nonexistent/twoliter-test.sock";

    @TempDir
    Path module;

    private RpmBuildRequest request(List<ExternalSource> external, List<Path> deps, Map<String, String> defines) {
        Path target = module.resolve("target");
        return new RpmBuildRequest("com.example:pkg", module, module.resolve("pkg.spec"), List.of(target), external,
                deps, List.of(), "x86_64", "twoliter-sdk:0.1.0", false, NO_DOCKER, Optional.empty(), defines,
                target.resolve("rpms"), target.resolve("twoliter"), target.resolve("pkg-1.0.rpm.tar"),
                Duration.ofMinutes(1), false, "test");
    }

    private RpmBuild build() {
        return new RpmBuild(BuildLog.SILENT,
                new SourceCache(module.resolve("cache"), List.of(), true, true, BuildLog.SILENT));
    }

    @Test
    void aMissingSpecNamesTheExpectedFileAndTheSpecsPresent() throws Exception {
        Files.writeString(module.resolve("other.spec"), "Name: other");
        assertThatThrownBy(() -> build().run(request(List.of(), List.of(), Map.of())))
                .isInstanceOf(RpmBuildException.class)
                .hasMessageContaining("com.example:pkg: spec file " + module.resolve("pkg.spec") + " not found")
                .hasMessageContaining("(spec files present: other.spec)");
    }

    @Test
    void twoSourcesWithOneBaseNameAreRefused() throws Exception {
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        Files.createDirectories(module.resolve("a"));
        Files.createDirectories(module.resolve("b"));
        Files.writeString(module.resolve("a/x.conf"), "1");
        Files.writeString(module.resolve("b/x.conf"), "2");
        assertThatThrownBy(() -> build().run(request(List.of(), List.of(), Map.of())))
                .hasMessageContaining("local sources a/x.conf and b/x.conf share the name x.conf");
    }

    @Test
    void anExternalSourceMayNotShadowALocalOne() throws Exception {
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        Files.createDirectories(module.resolve("files"));
        Files.writeString(module.resolve("files/data.tgz"), "local");
        ExternalSource external = ExternalSource.of("https://example.org/data.tgz", "a".repeat(128), null, false);
        assertThatThrownBy(() -> build().run(request(List.of(external), List.of(), Map.of())))
                .hasMessageContaining("would be data.tgz, but a source of that name already exists");
    }

    @Test
    void badDefinesAreRefused() throws Exception {
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        assertThatThrownBy(() -> build().run(request(List.of(), List.of(), Map.of("bad name", "x"))))
                .hasMessageContaining("<defines> entry 'bad name' is not a valid RPM macro");
    }

    @Test
    void aMissingDependencyArtifactSaysHowToGetIt() throws Exception {
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        assertThatThrownBy(() -> build().run(request(List.of(), List.of(module.resolve("lib-1.0.rpm.tar")), Map.of())))
                .hasMessageContaining("dependency artifact " + module.resolve("lib-1.0.rpm.tar") + " does not exist");
    }

    @Test
    void dotFilesPomAndTargetAreNotSourcesSoTheyCannotClash() throws Exception {
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        Files.createDirectories(module.resolve("target/x"));
        Files.createDirectories(module.resolve(".git"));
        Files.writeString(module.resolve("target/x/pom.xml"), "");
        Files.writeString(module.resolve(".git/pom.xml"), "");
        Files.writeString(module.resolve("pom.xml"), "");
        // Reaches Docker (which is absent here), so source collection passed without a clash.
        assertThatThrownBy(() -> build().run(request(List.of(), List.of(), Map.of())))
                .hasMessageContaining("Docker is not reachable at " + NO_DOCKER);
    }
}
