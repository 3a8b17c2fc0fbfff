package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildEnvironmentException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SdkImageTest {
    private static final String ID = "sha256:" + "ab".repeat(32);
    private static final Map<String, String> LABELS = Map.of(
            "dev.twoliter.sdk.contract", "1",
            "dev.twoliter.sdk.name", "vendor-sdk",
            "dev.twoliter.sdk.version", "2.0",
            "dev.twoliter.sdk.arches", "x86_64 aarch64",
            "dev.twoliter.sdk.macros.x86_64", "/opt/m/x86_64",
            "dev.twoliter.sdk.macros.aarch64", "/opt/m/aarch64");

    @Test
    void readsTheContractLabelsOfAnyVendorsImage() throws Exception {
        SdkImage sdk = SdkImage.fromLabels("vendor/sdk:2", ID, LABELS);
        assertThat(sdk.name()).isEqualTo("vendor-sdk");
        assertThat(sdk.arches()).containsExactly("x86_64", "aarch64");
        assertThat(sdk.macrosFor("aarch64")).isEqualTo("/opt/m/aarch64");
    }

    @Test
    void refusesImagesOutsideTheContract() {
        assertThatThrownBy(() -> SdkImage.fromLabels("debian:12", "id", Map.of()))
                .isInstanceOf(BuildEnvironmentException.class).hasMessageContaining("debian:12 is not a twoliter SDK");
        assertThatThrownBy(() -> SdkImage.fromLabels("x", ID, Map.of("dev.twoliter.sdk.contract", "7")))
                .hasMessageContaining("contract version 7").hasMessageContaining("supports version 1");
    }

    @Test
    void namesTheSupportedArchesWhenOneIsMissing() throws Exception {
        SdkImage sdk = SdkImage.fromLabels("x", ID, Map.of("dev.twoliter.sdk.contract", "1",
                "dev.twoliter.sdk.macros.x86_64", "/m"));
        assertThatThrownBy(() -> sdk.macrosFor("aarch64")).hasMessageContaining("'aarch64'")
                .hasMessageContaining("supported: x86_64");
    }

    @Test
    void anArchTheSdkDoesNotServeFailsNamingBoth() throws Exception {
        SdkImage sdk = SdkImage.fromLabels("vendor/sdk:x86", ID, Map.of("dev.twoliter.sdk.contract", "1",
                "dev.twoliter.sdk.arches", "x86_64", "dev.twoliter.sdk.macros.x86_64", "/m",
                "dev.twoliter.sdk.macros.aarch64", "/n"));
        assertThatThrownBy(() -> sdk.requireArch("aarch64")).isInstanceOf(BuildEnvironmentException.class)
                .hasMessageContaining("SDK image vendor/sdk:x86 serves x86_64 (label dev.twoliter.sdk.arches), but this"
                        + " build is for aarch64");
        assertThatThrownBy(() -> sdk.macrosFor("aarch64")).hasMessageContaining("serves x86_64");
        sdk.requireArch("x86_64");
        assertThatThrownBy(() -> SdkImage.fromLabels("x", ID, Map.of("dev.twoliter.sdk.contract", "1",
                "dev.twoliter.sdk.arches", "x86_64 ../etc"))).hasMessageContaining("bad label dev.twoliter.sdk.arches");
    }

    @Test
    void refusesLabelsThatCouldReachAScriptAsSomethingElseThanAPath() {
        for (String bad : new String[] {"relative/path", "/opt/m/x'; rm -rf /", "/opt/../etc/passwd", "/a b"}) {
            assertThatThrownBy(() -> SdkImage.fromLabels("x", ID, Map.of("dev.twoliter.sdk.contract", "1",
                    "dev.twoliter.sdk.macros.x86_64", bad))).as(bad).isInstanceOf(BuildEnvironmentException.class)
                    .hasMessageContaining("has a bad label dev.twoliter.sdk.macros.x86_64");
        }
        assertThatThrownBy(() -> SdkImage.fromLabels("x", ID, Map.of("dev.twoliter.sdk.contract", "1",
                "dev.twoliter.sdk.name", "a\nb"))).hasMessageContaining("not one line");
        assertThatThrownBy(() -> SdkImage.fromLabels("x", "id", Map.of("dev.twoliter.sdk.contract", "1")))
                .hasMessageContaining("not a sha256 image id");
    }

    @Test
    void recognisesImageReferences() {
        assertThat(SdkImage.isReference("twoliter-sdk:0.1.0")).isTrue();
        assertThat(SdkImage.isReference("registry.example:5000/team/sdk:1.2@sha256:" + "0".repeat(64))).isTrue();
        assertThat(SdkImage.isReference("sha256:" + "0".repeat(64))).isTrue();
        assertThat(SdkImage.isReference("Bad_Image!")).isFalse();
        assertThat(SdkImage.isReference("sdk:1; rm -rf /")).isFalse();
        assertThat(SdkImage.isReference("")).isFalse();
    }
}
