package dev.twoliter.engine.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.module.ModuleBuildRunner;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.FakeSdkContainers;
import dev.twoliter.engine.sdk.StepScriptContract;
import dev.twoliter.maven.MavenTerms;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit pipeline against scripted containers: staging, the manifest, no-op rebuilds and refusals. */
class KitBuildTest {
    private static final KitCoordinates KIT = new KitCoordinates("com.example", "greet-kit", "1.0");

    @TempDir
    Path dir;

    private final FakeSdkContainers containers = new FakeSdkContainers();
    private final RecordingLog log = new RecordingLog();

    private Path archive(String module, String... rpms) throws IOException {
        return archiveWithSources(module, null, rpms);
    }

    private Path archiveWithSources(String module, String sources, String... rpms) throws IOException {
        Map<String, Path> entries = new TreeMap<>();
        if (sources != null) {
            entries.put(RpmArchive.SOURCES_ENTRY, Files.writeString(dir.resolve(module + "-sources.toml"), sources));
        }
        for (String rpm : rpms) {
            entries.put(rpm, Files.writeString(dir.resolve(rpm), "bytes of " + rpm));
        }
        Path archive = dir.resolve(module + ".rpm.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            Tars.write(entries, Instant.EPOCH, out);
        }
        return archive;
    }

    private KitBuildRequest request(Map<String, Path> packages) {
        Path target = dir.resolve("target");
        return new KitBuildRequest(KIT, "com.example:greet-kit", packages, List.of(), List.of(), Arch.X86_64, "twoliter-sdk:0.1.0", false,
                Optional.of(Instant.ofEpochSecond(1700000000)), target.resolve("twoliter"),
                target.resolve("greet-kit-1.0.kit.toml"), target.resolve("greet-kit-1.0-x86_64.tar"),
                Duration.ofMinutes(1), false, "test", MavenTerms.INSTANCE);
    }

    /** What createrepo.sh leaves for the staged RPMs, facts parsed from their names. */
    private static int indexesWhatWasStaged(ContainerStep step, Path out, StringBuilder log) throws IOException {
        Files.createDirectories(out.resolve("repodata"));
        Files.writeString(out.resolve("repodata/repomd.xml"), "<repomd/>");
        StringBuilder facts = new StringBuilder("format-version = 1\n");
        for (String input : step.inputs().keySet()) {
            if (input.startsWith("/work/kit/Packages/")) {
                String path = input.substring("/work/kit/Packages/".length());
                String file = path.substring(path.indexOf('/') + 1);
                String[] nvr = file.replaceAll("\\.[^.]+\\.rpm$", "").split("-");
                String arch = file.replaceAll(".*\\.([^.]+)\\.rpm$", "$1");
                facts.append("\n[[rpm]]\npath = \"").append(path).append("\"\nname = \"").append(nvr[0])
                        .append("\"\nepoch = 0\nversion = \"").append(nvr[1]).append("\"\nrelease = \"")
                        .append(nvr[2]).append("\"\narch = \"").append(arch).append("\"\nscriptlets = []\n")
                        .append("license = \"MIT AND (Apache-2.0 OR GPLv2+)\"\n");
            }
        }
        Files.writeString(out.resolve("rpms.toml"), facts);
        return 0;
    }

    @Test
    void aKitPinsItsPayloadAndEveryRpmByDigestAndSize() throws Exception {
        containers.then(KitBuildTest::indexesWhatWasStaged);
        KitBuildRequest request = request(Map.of("greet", archive("greet", "greet-1.0-1.x86_64.rpm",
                "greet-doc-1.0-1.noarch.rpm")));

        KitBuildResult result = new ModuleBuildRunner(containers, log).run(new KitBuild(request));

        assertThat(containers.started().get(0).inputs()).containsKeys(
                "/work/kit/Packages/greet/greet-1.0-1.x86_64.rpm", "/work/kit/Packages/greet/greet-doc-1.0-1.noarch.rpm");
        assertThat(containers.started().get(0).environment()).containsEntry("REVISION", "1700000000");
        KitManifest manifest = KitManifest.read(result.manifest(), "test");
        KitManifest.Payload payload = manifest.payloads().get("x86_64");
        assertThat(payload.sha256()).isEqualTo(Digests.sha256(result.payload()));
        assertThat(payload.size()).isEqualTo(Files.size(result.payload()));
        assertThat(payload.rpms()).extracting(KitManifest.Rpm::path).containsExactly(
                "Packages/greet/greet-1.0-1.x86_64.rpm", "Packages/greet/greet-doc-1.0-1.noarch.rpm");
        assertThat(payload.rpms().get(0).sha256()).isEqualTo(Digests.sha256(dir.resolve("greet-1.0-1.x86_64.rpm")));
        assertThat(manifest.sdk().id()).isEqualTo(FakeSdkContainers.SDK.id());
        assertThat(dir.resolve("target/twoliter/kit-staging")).doesNotExist();

        KitBuildResult again = new ModuleBuildRunner(containers, log).run(new KitBuild(request));
        assertThat(again.upToDate()).isTrue();
        assertThat(containers.started()).hasSize(1);
    }

    @Test
    void theManifestCarriesLicensesAndSourcesAndTheKitHasSboms() throws Exception {
        containers.then(KitBuildTest::indexesWhatWasStaged);
        String sha512 = "ab".repeat(64);
        KitBuildRequest request = request(Map.of("greet", archiveWithSources("greet", "format-version = 1\n\n[[source]]\n"
                + "file = \"greet-1.0.tar.gz\"\nsha512 = \"" + sha512 + "\"\nurl = \"https://example.org/greet.tgz\"\n",
                "greet-1.0-1.x86_64.rpm")));

        KitBuildResult result = new ModuleBuildRunner(containers, log).run(new KitBuild(request));

        KitManifest.Rpm rpm = KitManifest.read(result.manifest(), "test").payloads().get("x86_64").rpms().get(0);
        assertThat(rpm.license()).isEqualTo("MIT AND (Apache-2.0 OR GPLv2+)");
        assertThat(rpm.sources()).containsExactly(new RpmArchive.Source("greet-1.0.tar.gz", sha512,
                Optional.of("https://example.org/greet.tgz")));
        assertThat(result.sboms()).extracting(p -> p.getFileName().toString()).containsExactly(
                "greet-kit-1.0-x86_64-sbom.spdx.json", "greet-kit-1.0-x86_64-sbom.cdx.json");
        String spdx = Files.readString(result.sboms().get(0));
        assertThat(spdx).contains("\"SPDX-2.3\"").contains(rpm.sha256()).contains(sha512)
                .contains("greet-1.0-1.x86_64.rpm");
        assertThat(Files.readString(result.sboms().get(1))).contains("\"specVersion\": \"1.6\"")
                .contains(rpm.sha256());
        assertThat(dir.resolve("target/twoliter/kit-staging/Packages/greet/" + RpmArchive.SOURCES_ENTRY))
                .doesNotExist();

        KitBuildResult again = new ModuleBuildRunner(containers, log).run(new KitBuild(request));
        assertThat(again.upToDate()).isTrue();
        assertThat(again.sboms()).isEqualTo(result.sboms());
    }

    @Test
    void aPayloadIsByteIdenticalWhenBuiltTwice() throws Exception {
        containers.then(KitBuildTest::indexesWhatWasStaged).then(KitBuildTest::indexesWhatWasStaged);
        KitBuildRequest request = request(Map.of("greet", archive("greet", "greet-1.0-1.x86_64.rpm")));
        KitBuildResult first = new ModuleBuildRunner(containers, log).run(new KitBuild(request));
        String payload = Digests.sha256(first.payload());
        String manifest = Digests.sha256(first.manifest());

        KitBuildResult second = new ModuleBuildRunner(containers, log).run(new KitBuild(new KitBuildRequest(
                request.coordinates(), request.module(), request.packages(), request.kitDependencies(), request.kitGraph(), request.arch(),
                request.sdkImage(), false, request.sourceDateEpoch(), request.workDir(), request.manifestFile(),
                request.payloadFile(), request.timeout(), true, "test", request.terms())));

        assertThat(second.upToDate()).isFalse();
        assertThat(Digests.sha256(second.payload())).isEqualTo(payload);
        assertThat(Digests.sha256(second.manifest())).isEqualTo(manifest);
    }

    @Test
    void eachArchsPayloadTakesItsOwnAndTheNoarchRpmsOfAModuleBuiltForSeveral() throws Exception {
        containers.then(KitBuildTest::indexesWhatWasStaged);
        KitBuildRequest request = request(Map.of("greet", archive("greet", "greet-1.0-1.x86_64.rpm",
                "greet-1.0-1.aarch64.rpm", "greet-doc-1.0-1.noarch.rpm")));

        new ModuleBuildRunner(containers, log).run(new KitBuild(request));

        assertThat(containers.started().get(0).inputs().keySet()).filteredOn(k -> k.startsWith("/work/kit/Packages"))
                .containsExactlyInAnyOrder("/work/kit/Packages/greet/greet-1.0-1.x86_64.rpm",
                        "/work/kit/Packages/greet/greet-doc-1.0-1.noarch.rpm");
    }

    @Test
    void aPackageWithNothingForTheArchIsLeftOutOfItsPayloadWithAWarning() throws Exception {
        containers.then(KitBuildTest::indexesWhatWasStaged);
        KitBuildRequest request = request(Map.of("greet", archive("greet", "greet-1.0-1.x86_64.rpm"),
                "firmware", archive("firmware", "firmware-1.0-1.aarch64.rpm")));

        new ModuleBuildRunner(containers, log).run(new KitBuild(request));

        assertThat(log.lines()).contains("WARN com.example:greet-kit: package firmware has no RPM for x86_64 (it"
                + " has aarch64), so the kit's x86_64 payload goes without it. If it should have one, build it for"
                + " x86_64 too (-Dtwoliter.arch).");
    }

    @Test
    void aKitWithNothingForTheArchSaysWhatItHasBeforeAnyContainer() throws Exception {
        KitBuildRequest request = request(Map.of("greet", archive("greet", "greet-1.0-1.aarch64.rpm")));
        assertThatThrownBy(() -> new ModuleBuildRunner(containers, log).run(new KitBuild(request)))
                .isInstanceOf(KitException.class)
                .hasMessage("com.example:greet-kit: the kit has no packages for x86_64 and no kit dependencies"
                        + " (package greet has RPMs for aarch64 only). Add the rpm modules it vends, each as a"
                        + " <dependency> with <type>rpm</type>, and build them for x86_64.");
        assertThat(containers.started()).isEmpty();
    }

    @Test
    void anEmptyKitSaysWhatToAdd() {
        assertThatThrownBy(() -> new ModuleBuildRunner(containers, log).run(new KitBuild(request(Map.of()))))
                .hasMessage("com.example:greet-kit: the kit has no packages for x86_64 and no kit dependencies. Add"
                        + " the rpm modules it vends, each as a <dependency> with <type>rpm</type>.");
    }

    @Test
    void oneNevraFromTwoModulesIsRefused() throws Exception {
        containers.then(KitBuildTest::indexesWhatWasStaged);
        Map<String, Path> packages = new TreeMap<>();
        packages.put("greet", archive("greet", "greet-1.0-1.x86_64.rpm"));
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Path copy = Files.writeString(other.resolve("greet-1.0-1.x86_64.rpm"), "another build");
        Path archive = dir.resolve("fork.rpm.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            Tars.write(Map.of("greet-1.0-1.x86_64.rpm", copy), Instant.EPOCH, out);
        }
        packages.put("greet-fork", archive);
        assertThatThrownBy(() -> new ModuleBuildRunner(containers, log).run(new KitBuild(request(packages))))
                .hasMessageContaining("the kit would hold greet-1.0-1.x86_64 twice: built by module ")
                .hasMessageContaining("module greet (Packages/greet/greet-1.0-1.x86_64.rpm)")
                .hasMessageContaining("module greet-fork (Packages/greet-fork/greet-1.0-1.x86_64.rpm)");
        assertThat(dir.resolve("target/greet-kit-1.0.kit.toml")).doesNotExist();
    }

    @Test
    void factsThatDoNotMatchTheStagedRpmsAreRefused() throws Exception {
        containers.then((step, out, log) -> {
            indexesWhatWasStaged(step, out, log);
            Files.writeString(out.resolve("rpms.toml"), Files.readString(out.resolve("rpms.toml"))
                    .replace("path = \"greet/", "path = \"elsewhere/"));
            return 0;
        });
        KitBuildRequest request = request(Map.of("greet", archive("greet", "greet-1.0-1.x86_64.rpm")));
        assertThatThrownBy(() -> new ModuleBuildRunner(containers, log).run(new KitBuild(request)))
                .hasMessageContaining("the SDK reports Packages/elsewhere/greet-1.0-1.x86_64.rpm, which the kit did not"
                        + " stage");
    }

    @Test
    void aFailedStepShowsTheLogTail() throws Exception {
        containers.then((step, out, log) -> {
            log.append("Critical: Cannot read package: greet-1.0-1.x86_64.rpm\n");
            return 1;
        });
        KitBuildRequest request = request(Map.of("greet", archive("greet", "greet-1.0-1.x86_64.rpm")));
        assertThatThrownBy(() -> new ModuleBuildRunner(containers, log).run(new KitBuild(request)))
                .hasMessageContaining("com.example:greet-kit: creating the kit repository failed. Last lines of the log:"
                        + "\n    Critical: Cannot read package")
                .hasMessageContaining("Full log: " + dir.resolve("target/twoliter/kit.log"));
    }

    @Test
    void theScriptReadsExactlyTheEnvironmentItIsGiven() throws Exception {
        containers.then(KitBuildTest::indexesWhatWasStaged);
        new ModuleBuildRunner(containers, log).run(new KitBuild(request(Map.of("greet", archive("greet",
                "greet-1.0-1.x86_64.rpm")))));
        containers.started().forEach(StepScriptContract::check);
    }
}
