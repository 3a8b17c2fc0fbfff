package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.maven.MavenTerms;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VariantInputsTest {
    private static ImageOptions options(int os, int data, List<String> kernelParameters, String prettyName) {
        return new ImageOptions(os, data, PartitionPlan.Plan.SPLIT, true, ImageOptions.RootFilesystem.EXT4,
                Set.of(ImageOptions.ImageFormat.RAW), ImageOptions.Compression.ZSTD,
                kernelParameters, prettyName, ImageOptions.Scriptlets.SKIP,
                ImageOptions.Bootloader.GRUB);
    }

    private static VariantBuildRequest request(String variantId, String version, String buildId, List<String> packages,
            ImageOptions options) {
        return new VariantBuildRequest("g:os", variantId, version, buildId, packages, Map.of(), List.of(), List.of(),
                options, Arch.X86_64, "twoliter-sdk:0.1.0", false, Optional.empty(), Path.of("w"), Path.of("o"), "os",
                Duration.ofMinutes(1), false, "1", MavenTerms.INSTANCE);
    }

    private static VariantBuildRequest good() {
        return request("greet-os", "1.0.0-SNAPSHOT", "abc12345", List.of("greet", "libc-runtime"),
                options(2, 1, List.of("console=ttyS0"), "Greet OS"));
    }

    private static void refused(VariantBuildRequest request, String message) {
        assertThatThrownBy(() -> VariantInputs.check(request)).isInstanceOf(TwoliterException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aGoodVariantPasses() {
        assertThatCode(() -> VariantInputs.check(good())).doesNotThrowAnyException();
        org.assertj.core.api.Assertions.assertThat(VariantInputs.versionId("1.0.0-SNAPSHOT")).isEqualTo("1.0.0-snapshot");
    }

    @Test
    void packageNamesFollowRpmSyntax() {
        refused(request("greet-os", "1", "b", List.of("hello;touch /tmp/x"), good().options()),
                "included package 'hello;touch /tmp/x' is not an RPM package name");
        refused(request("greet-os", "1", "b", List.of("--setopt=x"), good().options()), "'--setopt=x'");
        refused(request("greet-os", "1", "b", List.of(), good().options()), "<includedPackages> is empty");
    }

    @Test
    void osReleaseFieldsFitTheirFormat() {
        refused(request("Greet OS", "1", "b", List.of("a"), good().options()), "the variant id 'Greet OS'");
        refused(request("greet-os", "1.0+build 2", "b", List.of("a"), good().options()), "the version '1.0+build 2'");
        refused(request("greet-os", "1", "x\nVARIANT_ID=pwned", List.of("a"), good().options()),
                "the build id 'x\\nVARIANT_ID=pwned' must be one word");
        refused(request("greet-os", "1", "a b", List.of("a"), good().options()), "must be one word");
        refused(request("greet-os", "1", "b", List.of("a"), options(2, 1, List.of(), "Evil\nID=pwned")),
                "the pretty name 'Evil\\nID=pwned' must be one line");
    }

    @Test
    void kernelParametersAreTokensAndCannotOverrideTheImage() {
        refused(request("greet-os", "1", "b", List.of("a"), options(2, 1, List.of("quiet}\nmenuentry x {"), "P")),
                "kernel parameter 'quiet}\\nmenuentry x {' is not one token");
        refused(request("greet-os", "1", "b", List.of("a"), options(2, 1, List.of("root=/dev/sda1"), "P")),
                "sets 'root', which the image sets itself");
        refused(request("greet-os", "1", "b", List.of("a"), options(2, 1, List.of("dm-mod.create=x"), "P")),
                "sets 'dm-mod.create'");
        refused(request("greet-os", "1", "b", List.of("a"), options(2, 1, List.of("a=" + "b".repeat(600),
                "c=" + "d".repeat(600)), "P")), "add up to 1206 characters");
    }

    @Test
    void diskSizesStayInRange() {
        refused(request("greet-os", "1", "b", List.of("a"), options(100000, 1, List.of(), "P")),
                "<imageLayout><osImageSizeGib> is 100000; use 1 to 64.");
        refused(request("greet-os", "1", "b", List.of("a"), options(2, 0, List.of(), "P")),
                "<imageLayout><dataImageSizeGib> is 0; use 1 to 256.");
    }
}
