package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.build.ModuleBuildRunner;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.FakeSdkContainers;
import dev.twoliter.engine.sdk.StepScriptContract;
import dev.twoliter.engine.sdk.StepExit;
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
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The variant pipeline against scripted containers: the order of its steps, what each receives,
 * what the build manifest records, the no-op rebuild, and how each step's failure is worded.
 */
class VariantBuildTest {
    private static final String ROOT_HASH = "ab".repeat(32);

    @TempDir
    Path dir;

    private final FakeSdkContainers containers = new FakeSdkContainers();
    private final RecordingLog log = new RecordingLog();
    private Path greetArchive;

    @BeforeEach
    void aLocalPackage() throws IOException {
        Path rpm = Files.writeString(dir.resolve("greet-1.0-1.x86_64.rpm"), "rpm bytes");
        greetArchive = dir.resolve("greet-1.0.rpm.tar");
        try (OutputStream out = Files.newOutputStream(greetArchive)) {
            Tars.write(Map.of("greet-1.0-1.x86_64.rpm", rpm), Instant.EPOCH, out);
        }
    }

    private VariantBuildRequest request(ImageOptions.Scriptlets scriptlets, List<String> kernelParameters) {
        ImageOptions options = new ImageOptions(2, 1, PartitionPlan.Plan.SPLIT, true, ImageOptions.RootFilesystem.EXT4,
                Set.of(ImageOptions.ImageFormat.RAW), ImageOptions.Compression.ZSTD, kernelParameters, "Greet OS",
                scriptlets);
        return new VariantBuildRequest("com.example:greet-os", "greet-os", "1.0.0", "abc12345", List.of("greet"),
                Map.of("com.example:greet", greetArchive), List.of(), List.of(), options, Arch.X86_64,
                "twoliter-sdk:0.1.0", false, Optional.of(Instant.ofEpochSecond(1700000000)), dir.resolve("work"),
                dir.resolve("out"), "greet-os-x86_64-1.0.0", Duration.ofMinutes(1), false, "test", MavenTerms.INSTANCE);
    }

    private VariantBuildRequest request() {
        return request(ImageOptions.Scriptlets.SKIP, List.of("console=ttyS0"));
    }

    private VariantBuildResult build(VariantBuildRequest request) throws Exception {
        return new ModuleBuildRunner(containers, log).run(new VariantBuild(request));
    }

    private static int installsGreet(ContainerStep step, Path out, StringBuilder log) throws IOException {
        log.append("Installed: greet-1.0-1.x86_64\n");
        Files.writeString(out.resolve("root.tar"), "root tree");
        Files.createDirectories(out.resolve("settings.d"));
        Files.writeString(out.resolve("settings.d/10-greet.toml"), "[settings.greet]\nname = \"world\"\n");
        Files.writeString(out.resolve("packages.toml"), "format-version = 1\n\n[[package]]\nname = \"greet\"\n"
                + "epoch = 0\nversion = \"1.0\"\nrelease = \"1\"\narch = \"x86_64\"\nscriptlets = [\"%post\"]\n"
                + "repository = \"local\"\ngroup = \"Applications\"\nurl = \"https://example.org\"\n"
                + "summary = \"Greets\"\n\n[[settings-fragment]]\nfile = \"10-greet.toml\"\nowner = \"greet\"\n");
        return 0;
    }

    private static int assemblesAnImage(ContainerStep step, Path out, StringBuilder log) throws IOException {
        String base = step.environment().get("BASE");
        Files.writeString(out.resolve(base + "-os.img.zst"), "os disk");
        Files.writeString(out.resolve(base + "-data.img.zst"), "data disk");
        Files.writeString(out.resolve(base + "-application-inventory.json"), "{}");
        Files.writeString(out.resolve("image-facts.toml"), "root-hash = \"" + ROOT_HASH + "\"\ndata-blocks = 1000\n");
        return 0;
    }

    @Test
    void aBuildInstallsThenAssemblesAndWritesTheManifest() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::assemblesAnImage);

        VariantBuildResult result = build(request());

        assertThat(containers.started()).extracting(ContainerStep::name)
                .containsExactly("com.example-greet-os-root", "com.example-greet-os-image");
        ContainerStep install = containers.started().get(0);
        assertThat(install.inputs()).containsKeys("/work/local/greet-1.0-1.x86_64.rpm", "/work/in/packages.txt");
        assertThat(install.environment()).containsEntry("SCRIPTLETS", "skip").containsEntry("KIT_REPOS", "");
        ContainerStep image = containers.started().get(1);
        assertThat(image.inputs()).containsKeys("/work/in/root.tar", "/work/in/os-release",
                "/work/in/application-inventory.json", "/work/in/settings-defaults.toml", "/work/in/grub.cfg.in");
        assertThat(image.inputs().get("/work/in/grub.cfg.in")).as("staging is removed after the build").doesNotExist();
        assertThat(image.environment()).containsEntry("ROOT_FS", "ext4").containsEntry("FORMATS", "raw")
                .containsEntry("DATA_ON_OS_DISK", "false").containsEntry("SDE", "1700000000");
        assertThat(image.environment().get("OS_SGDISK")).contains("--disk-guid=").contains("\n--new=1:");

        assertThat(result.upToDate()).isFalse();
        assertThat(result.outputs()).extracting(VariantBuildResult.Output::classifier)
                .containsExactly("application-inventory", "data", "os");
        assertThat(result.outputs()).extracting(o -> o.file().getFileName().toString())
                .doesNotContain("image-facts.toml");
        String manifest = Files.readString(result.buildManifest());
        assertThat(manifest).contains("\"root-hash\": \"" + ROOT_HASH + "\"")
                .contains("console=ttyS0 root=/dev/dm-0").contains("0 8000 verity 1 PARTUUID=")
                .contains("\"source\": \"local module\"");
        assertThat(log.lines()).anyMatch(l -> l.contains("the scriptlets of 1 package(s) were not run: greet (%post)"));
        assertThat(dir.resolve("work/variant-staging")).doesNotExist();
    }

    @Test
    void anUnchangedVariantStartsNoContainer() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::assemblesAnImage);
        VariantBuildResult first = build(request());

        VariantBuildResult again = build(request());

        assertThat(again.upToDate()).isTrue();
        assertThat(containers.started()).hasSize(2);
        assertThat(again.buildManifest()).isEqualTo(first.buildManifest());
        assertThat(again.outputs()).isEqualTo(first.outputs());
    }

    @Test
    void aChangedKernelParameterRebuildsAndSaysWhy() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::assemblesAnImage)
                .then(VariantBuildTest::installsGreet).then(VariantBuildTest::assemblesAnImage);
        build(request());

        build(request(ImageOptions.Scriptlets.SKIP, List.of("console=ttyS1")));

        assertThat(containers.started()).hasSize(4);
        assertThat(log.lines()).anyMatch(l -> l.startsWith("INFO com.example:greet-os changed since its last build: options"));
    }

    @Test
    void scriptletsRunInASecondPassWhoseTreeReplacesTheFirst() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then((step, out, log) -> {
            Files.writeString(out.resolve("root.tar"), "root tree after scriptlets");
            return 0;
        }).then((step, out, log) -> {
            assertThat(step.inputs().get("/work/in/root.tar")).hasContent("root tree after scriptlets");
            return assemblesAnImage(step, out, log);
        });

        build(request(ImageOptions.Scriptlets.RUN, List.of()));

        assertThat(containers.started()).extracting(s -> s.environment().get("SCRIPTLETS"))
                .containsExactly("skip", "run", null);
    }

    @Test
    void aPackageInNoSourceIsNamedWithTheSourcesSearched() throws Exception {
        containers.then((step, out, log) -> {
            log.append("No match for argument: greet\nError: Unable to find a match: greet\n");
            return 1;
        });
        assertThatThrownBy(() -> build(request())).isInstanceOf(TwoliterException.class)
                .hasMessageContaining("com.example:greet-os: cannot install the variant's packages: package greet is"
                        + " in none of the variant's sources (sources, by priority: local modules com.example:greet)")
                .hasMessageContaining("Full log: " + dir.resolve("work/variant-install.log"));
        assertThat(containers.started()).hasSize(1);
    }

    @Test
    void aPackageFromAnUnknownRepositoryIsRefused() throws Exception {
        containers.then((step, out, log) -> {
            installsGreet(step, out, log);
            Files.writeString(out.resolve("packages.toml"), Files.readString(out.resolve("packages.toml"))
                    .replace("repository = \"local\"", "repository = \"elsewhere\""));
            return 0;
        });
        assertThatThrownBy(() -> build(request())).hasMessageContaining("dnf reports greet-1.0-1.x86_64 as installed"
                + " from 'elsewhere', which is none of the variant's sources");
    }

    @Test
    void anImageTooSmallNamesTheSizeSetting() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then((step, out, log) -> {
            log.append("twoliter: too small: BOTTLEROCKET-ROOT-A needs 1200 MiB, has 920 MiB\n");
            return StepExit.TOO_SMALL.code();
        });
        assertThatThrownBy(() -> build(request())).hasMessageContaining("com.example:greet-os: the image is too small"
                + " for its content: BOTTLEROCKET-ROOT-A needs 1200 MiB, has 920 MiB. Raise"
                + " <imageLayout><osImageSizeGib> (now 2).");
    }

    @Test
    void anImageStepWithoutFactsIsAnErrorAndRecordsNothing() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then((step, out, log) -> {
            Files.writeString(out.resolve(step.environment().get("BASE") + "-os.img.zst"), "os disk");
            return 0;
        }).then(VariantBuildTest::installsGreet).then(VariantBuildTest::assemblesAnImage);
        assertThatThrownBy(() -> build(request())).hasMessageContaining("the image step ended without writing"
                + " image-facts.toml");

        assertThat(build(request()).upToDate()).isFalse();
    }

    @Test
    void forgedImageFactsAreRefused() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then((step, out, log) -> {
            assemblesAnImage(step, out, log);
            Files.writeString(out.resolve("image-facts.toml"), "root-hash = \"x\\\" console=evil\"\ndata-blocks = 1\n");
            return 0;
        });
        assertThatThrownBy(() -> build(request())).hasMessageContaining("reported no valid root hash and block count");
    }

    @Test
    void everyScriptReadsExactlyTheEnvironmentItIsGiven() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then((step, out, log) -> {
            Files.writeString(out.resolve("root.tar"), "root tree");
            return 0;
        }).then(VariantBuildTest::assemblesAnImage);
        build(request(ImageOptions.Scriptlets.RUN, List.of()));
        assertThat(containers.started()).hasSize(3);
        containers.started().forEach(StepScriptContract::check);
    }
}
