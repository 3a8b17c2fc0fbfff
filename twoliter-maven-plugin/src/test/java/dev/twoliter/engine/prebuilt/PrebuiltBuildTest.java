package dev.twoliter.engine.prebuilt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.module.ModuleBuildRunner;
import dev.twoliter.engine.rpm.RpmBuildResult;
import dev.twoliter.engine.sdk.FakeSdkContainers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrebuiltBuildTest {
    @TempDir
    Path tmp;

    private List<PrebuiltRpm> rpms() throws Exception {
        Path lib = TestRpms.write(tmp.resolve("module/libvendor.rpm"), "libvendor", 0, "1.0", "1", "x86_64");
        Path doc = TestRpms.write(tmp.resolve("module/doc.rpm"), "vendor-doc", 0, "1.0", "1", "noarch");
        List<PrebuiltDeclaration> declared = PrebuiltDeclaration.validate("x:m", List.of(
                new PrebuiltDeclaration.Declared("libvendor.rpm", null, null, null, null, null, null, "libvendor", null,
                        "1.0", "1"),
                new PrebuiltDeclaration.Declared("doc.rpm", null, null, null, null, null, null, "vendor-doc", null,
                        "1.0", "1")), Terms.PLAIN);
        assertThat(lib).exists();
        assertThat(doc).exists();
        return new PrebuiltFetch("x:m", tmp.resolve("module"), null, null).fetchAll(declared,
                java.util.Set.of("x86_64"));
    }

    private PrebuiltBuild build(List<PrebuiltRpm> rpms, Optional<SigningKey> key) {
        Path work = tmp.resolve("target/twoliter/x86_64");
        return new PrebuiltBuild(new PrebuiltRequest("x:m", Arch.X86_64, rpms, rpms, key, "twoliter-sdk:test", false,
                Optional.empty(), work, work.resolve("m-1.0.tar"), Duration.ofMinutes(5), false, "test", Terms.PLAIN));
    }

    private static FakeSdkContainers.ScriptedStep allIntact() {
        return (step, out, log) -> {
            for (String input : step.inputs().keySet()) {
                if (input.startsWith("/work/prebuilt/")) {
                    String n = input.substring("/work/prebuilt/".length()).replace(".rpm", ".txt");
                    Files.writeString(out.resolve(n), String.join("\n", SignatureCheckStepTest.UNSIGNED));
                }
            }
            return 0;
        };
    }

    @Test
    void checksOnceThenIsUpToDateWithTheSameArtifact() throws Exception {
        List<PrebuiltRpm> rpms = rpms();
        FakeSdkContainers containers = new FakeSdkContainers().then(allIntact());
        ModuleBuildRunner runner = new ModuleBuildRunner(containers, BuildLog.SILENT);
        RpmBuildResult first = runner.run(build(rpms, Optional.empty()));
        assertThat(first.upToDate()).isFalse();
        assertThat(first.rpms()).extracting(p -> p.getFileName().toString())
                .containsExactly("libvendor-1.0-1.x86_64.rpm", "vendor-doc-1.0-1.noarch.rpm");
        // The RPMs go in by number: no name from outside reaches the container.
        assertThat(containers.started().get(0).inputs()).containsOnlyKeys("/work/prebuilt/0.rpm", "/work/prebuilt/1.rpm");
        RpmArchive.Contents contents = RpmArchive.unpackWithSources(first.archive(), tmp.resolve("unpacked"), "x:m");
        assertThat(contents.sources()).extracting(RpmArchive.Source::file)
                .containsExactly("prebuilt/doc.rpm", "prebuilt/libvendor.rpm");
        assertThat(contents.sources()).allSatisfy(s -> assertThat(s.prebuilt()).isTrue());
        assertThat(contents.sources().get(0).sha512()).isEqualTo(rpms.get(1).sha512());

        RpmBuildResult again = runner.run(build(rpms, Optional.empty()));
        assertThat(again.upToDate()).isTrue();
        assertThat(containers.started()).hasSize(1);
        assertThat(again.rpms()).extracting(p -> p.getFileName().toString())
                .containsExactlyElementsOf(first.rpms().stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aNewKeyChecksAgain() throws Exception {
        List<PrebuiltRpm> rpms = rpms();
        Path key = Files.writeString(tmp.resolve("vendor.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n");
        FakeSdkContainers containers = new FakeSdkContainers().then(allIntact()).then((step, out, log) -> {
            assertThat(step.inputs()).containsEntry("/work/key.asc", key);
            Files.writeString(out.resolve("0.txt"), String.join("\n", SignatureCheckStepTest.SIGNED));
            Files.writeString(out.resolve("1.txt"), String.join("\n", SignatureCheckStepTest.OTHER_KEY));
            Files.writeString(out.resolve("key.txt"), "fpr:::::::::7966D66BBAEAC966D4653787BBD4726298FFDC9F:\n");
            return 0;
        });
        ModuleBuildRunner runner = new ModuleBuildRunner(containers, BuildLog.SILENT);
        runner.run(build(rpms, Optional.empty()));
        assertThatThrownBy(() -> runner.run(build(rpms, Optional.of(new SigningKey(key)))))
                .hasMessageContaining("module file doc.rpm").hasMessageContaining("key ID 98ffdc9f");
        assertThat(containers.started()).hasSize(2);
    }

    @Test
    void aFailedStepShowsItsLog() throws Exception {
        FakeSdkContainers containers = new FakeSdkContainers().then((step, out, log) -> {
            log.append("twoliter: rpm cannot import the signing key\n");
            return 70;
        });
        assertThatThrownBy(() -> new ModuleBuildRunner(containers, BuildLog.SILENT).run(build(rpms(), Optional.empty())))
                .hasMessageContaining("checking the prebuilt RPMs failed (exit 70)")
                .hasMessageContaining("rpm cannot import the signing key");
    }
}
