package dev.twoliter.engine.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.module.ModuleBuildRunner;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.FakeSdkContainers;
import dev.twoliter.engine.sdk.StepScriptContract;
import dev.twoliter.engine.sdk.StepExit;
import dev.twoliter.engine.source.ExternalSource;
import dev.twoliter.engine.source.SourceCache;
import dev.twoliter.maven.MavenTerms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rpm pipeline against scripted containers: input problems are reported before any container
 * runs, a build records its outputs, an unchanged module starts no container, and failures are
 * diagnosed from the step's exit code and log.
 */
class RpmBuildTest {
    @TempDir
    Path module;

    private final FakeSdkContainers containers = new FakeSdkContainers();
    private final RecordingLog log = new RecordingLog();

    private RpmBuildRequest request(List<ExternalSource> external, List<Path> deps, Map<String, String> defines,
            boolean force) {
        Path target = module.resolve("target");
        return new RpmBuildRequest("com.example:pkg", module, module.resolve("pkg.spec"), List.of(target), external,
                deps, List.of(), Arch.X86_64, "twoliter-sdk:0.1.0", false, Optional.of(Instant.ofEpochSecond(1700000000)),
                defines, target.resolve("rpms"), target.resolve("twoliter"), target.resolve("pkg-1.0.rpm.tar"),
                Duration.ofMinutes(1), force, "test", MavenTerms.INSTANCE);
    }

    private RpmBuildRequest request() {
        return request(List.of(), List.of(), Map.of(), false);
    }

    private RpmBuildResult build(RpmBuildRequest request) throws Exception {
        SourceCache cache = new SourceCache(module.resolve(".cache"), List.of(), true, true, BuildLog.SILENT);
        return new ModuleBuildRunner(containers, log).run(new RpmBuild(request, cache));
    }

    private static int producesOneRpm(ContainerStep step, Path out, StringBuilder log) throws java.io.IOException {
        log.append("twoliter: rpmbuild -bb pkg.spec\n");
        Files.writeString(out.resolve("pkg-1.0-1.x86_64.rpm"), "rpm bytes");
        return 0;
    }

    private void aModuleWithASpec() throws Exception {
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        Files.createDirectories(module.resolve("files"));
        Files.writeString(module.resolve("files/pkg.conf"), "key = 1");
    }

    @Test
    void aBuildRunsOneStepWithTheSpecAndSourcesAndRecordsItsOutputs() throws Exception {
        aModuleWithASpec();
        containers.then(RpmBuildTest::producesOneRpm);

        RpmBuildResult result = build(request());

        assertThat(result.upToDate()).isFalse();
        assertThat(result.rpms()).extracting(p -> p.getFileName().toString()).containsExactly("pkg-1.0-1.x86_64.rpm");
        assertThat(result.archive()).isRegularFile();
        ContainerStep step = containers.started().get(0);
        assertThat(step.inputs()).containsKeys("/work/rpmbuild/SPECS/pkg.spec", "/work/rpmbuild/SOURCES/pkg.conf",
                "/etc/rpm/macros.twoliter-build");
        assertThat(step.environment()).containsEntry("SPEC_NAME", "pkg.spec").containsEntry("TARGET_ARCH", "x86_64")
                .containsEntry("SOURCE_DATE_EPOCH", "1700000000")
                .containsEntry("ARCH_MACROS", "/usr/lib/rpm/macros.d/x86_64");
        assertThat(module.resolve("target/twoliter/rpm-outputs.txt")).content().contains("pkg-1.0-1.x86_64.rpm");
        assertThat(module.resolve("target/twoliter/staging")).doesNotExist();
        // The archive says what the RPMs were built from, for the SBOMs of kits and images.
        assertThat(dev.twoliter.engine.artifact.RpmArchive.unpackWithSources(result.archive(),
                module.resolve("unpacked"), "t").sources()).containsExactly(
                new dev.twoliter.engine.artifact.RpmArchive.Source("files/pkg.conf",
                        dev.twoliter.engine.io.Digests.sha512(module.resolve("files/pkg.conf")), Optional.empty()));
    }

    @Test
    void anUnchangedModuleStartsNoContainerAndAChangedOneRebuilds() throws Exception {
        aModuleWithASpec();
        containers.then(RpmBuildTest::producesOneRpm).then(RpmBuildTest::producesOneRpm)
                .then(RpmBuildTest::producesOneRpm);
        build(request());

        RpmBuildResult again = build(request());
        assertThat(again.upToDate()).isTrue();
        assertThat(again.rpms()).hasSize(1);
        assertThat(containers.started()).hasSize(1);
        assertThat(log.lines()).contains("INFO com.example:pkg is up to date; no container started");

        Files.writeString(module.resolve("files/pkg.conf"), "key = 2");
        assertThat(build(request()).upToDate()).isFalse();
        assertThat(containers.started()).hasSize(2);
        assertThat(log.lines()).anyMatch(m -> m.startsWith("INFO com.example:pkg changed since its last build: source:"));

        assertThat(build(request(List.of(), List.of(), Map.of(), true)).upToDate()).as("force").isFalse();
        assertThat(containers.started()).hasSize(3);
    }

    @Test
    void aModifiedOutputIsRebuilt() throws Exception {
        aModuleWithASpec();
        containers.then(RpmBuildTest::producesOneRpm).then(RpmBuildTest::producesOneRpm);
        RpmBuildResult first = build(request());
        Files.writeString(first.rpms().get(0), "tampered");

        assertThat(build(request()).upToDate()).isFalse();
        assertThat(first.rpms().get(0)).hasContent("rpm bytes");
    }

    @Test
    void missingBuildRequiresAreNamedWithTheDependenciesSearched() throws Exception {
        aModuleWithASpec();
        containers.then((step, out, log) -> {
            log.append("No matching package to install: 'libgreet-devel >= 2'\n");
            return StepExit.BUILD_REQUIRES.code();
        });
        assertThatThrownBy(() -> build(request())).isInstanceOf(RpmBuildException.class)
                .hasMessageContaining("com.example:pkg: pkg.spec needs build requirements that neither its"
                        + " dependencies nor the SDK provide: libgreet-devel >= 2")
                .hasMessageContaining("(the module has no rpm or kit dependencies)")
                .hasMessageContaining("Full log: " + module.resolve("target/twoliter/rpmbuild.log"));
    }

    @Test
    void aFailedRpmbuildShowsTheLogTailAndIsNeverUpToDate() throws Exception {
        aModuleWithASpec();
        containers.then(RpmBuildTest::producesOneRpm).then((step, out, log) -> {
            for (int i = 1; i <= 50; i++) {
                log.append("line ").append(i).append('\n');
            }
            log.append("error: Bad exit status from /var/tmp/rpm-tmp.1 (%build)\n");
            return StepExit.RPMBUILD.code();
        }).then(RpmBuildTest::producesOneRpm);
        build(request());
        Files.writeString(module.resolve("files/pkg.conf"), "key = 2");

        assertThatThrownBy(() -> build(request())).hasMessageContaining("com.example:pkg: rpmbuild failed for pkg.spec."
                + " Last lines of the log:").hasMessageContaining("Bad exit status").hasMessageContaining("line 50")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("line 20\n"));

        Files.writeString(module.resolve("files/pkg.conf"), "key = 1");
        assertThat(build(request()).upToDate()).as("the failed build invalidated the record").isFalse();
    }

    @Test
    void aSuccessfulStepWithoutRpmsIsAnError() throws Exception {
        aModuleWithASpec();
        containers.then((step, out, log) -> 0);
        assertThatThrownBy(() -> build(request())).hasMessageContaining("rpmbuild succeeded but produced no binary RPM");
    }

    @Test
    void aMissingSpecNamesTheExpectedFileAndTheSpecsPresent() throws Exception {
        Files.writeString(module.resolve("other.spec"), "Name: other");
        assertThatThrownBy(() -> build(request()))
                .isInstanceOf(RpmBuildException.class)
                .hasMessageContaining("com.example:pkg: spec file " + module.resolve("pkg.spec") + " not found")
                .hasMessageContaining("(spec files present: other.spec)");
        assertThat(containers.imageLookups()).as("inputs are checked before the SDK is asked for").isZero();
    }

    @Test
    void twoSourcesWithOneBaseNameAreRefused() throws Exception {
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        Files.createDirectories(module.resolve("a"));
        Files.createDirectories(module.resolve("b"));
        Files.writeString(module.resolve("a/x.conf"), "1");
        Files.writeString(module.resolve("b/x.conf"), "2");
        assertThatThrownBy(() -> build(request()))
                .hasMessageContaining("local sources a/x.conf and b/x.conf share the name x.conf");
    }

    @Test
    void anExternalSourceMayNotShadowALocalOne() throws Exception {
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        Files.createDirectories(module.resolve("files"));
        Files.writeString(module.resolve("files/data.tgz"), "local");
        ExternalSource external = ExternalSource.of("https://example.org/data.tgz", "a".repeat(128), null, false);
        assertThatThrownBy(() -> build(request(List.of(external), List.of(), Map.of(), false)))
                .hasMessageContaining("would be data.tgz, but a source of that name already exists");
    }

    @Test
    void badDefinesAreRefused() throws Exception {
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        assertThatThrownBy(() -> build(request(List.of(), List.of(), Map.of("bad name", "x"), false)))
                .hasMessageContaining("<defines> entry 'bad name' is not a valid RPM macro");
    }

    @Test
    void aMissingDependencyArtifactSaysHowToGetIt() throws Exception {
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        assertThatThrownBy(() -> build(request(List.of(), List.of(module.resolve("lib-1.0.rpm.tar")), Map.of(), false)))
                .hasMessageContaining("dependency artifact " + module.resolve("lib-1.0.rpm.tar") + " does not exist");
    }

    @Test
    void dotFilesPomAndTargetAreNotSources() throws Exception {
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        Files.createDirectories(module.resolve("target/x"));
        Files.createDirectories(module.resolve(".git"));
        Files.writeString(module.resolve("target/x/pom.xml"), "");
        Files.writeString(module.resolve(".git/pom.xml"), "");
        Files.writeString(module.resolve("pom.xml"), "");
        containers.then(RpmBuildTest::producesOneRpm);
        build(request());
        assertThat(containers.started().get(0).inputs().keySet())
                .filteredOn(k -> k.startsWith("/work/rpmbuild/SOURCES/")).isEmpty();
    }

    @Test
    void theScriptReadsExactlyTheEnvironmentItIsGiven() throws Exception {
        aModuleWithASpec();
        containers.then(RpmBuildTest::producesOneRpm);
        build(request());
        containers.started().forEach(StepScriptContract::check);
    }
}
