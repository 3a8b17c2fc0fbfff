package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildEnvironmentException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SdkImageTest {
    private static final Map<String, String> LABELS = Map.of(
            "dev.twoliter.sdk.contract", "1",
            "dev.twoliter.sdk.name", "vendor-sdk",
            "dev.twoliter.sdk.version", "2.0",
            "dev.twoliter.sdk.arches", "x86_64 aarch64",
            "dev.twoliter.sdk.macros.x86_64", "/opt/m/x86_64",
            "dev.twoliter.sdk.macros.aarch64", "/opt/m/aarch64");

    @Test
    void readsTheContractLabelsOfAnyVendorsImage() throws Exception {
        SdkImage sdk = SdkImage.fromLabels("vendor/sdk:2", "sha256:abc", LABELS);
        assertThat(sdk.name()).isEqualTo("vendor-sdk");
        assertThat(sdk.arches()).containsExactly("x86_64", "aarch64");
        assertThat(sdk.macrosFor("aarch64")).isEqualTo("/opt/m/aarch64");
    }

    @Test
    void refusesImagesOutsideTheContract() {
        assertThatThrownBy(() -> SdkImage.fromLabels("debian:12", "id", Map.of()))
                .isInstanceOf(BuildEnvironmentException.class).hasMessageContaining("debian:12 is not a twoliter SDK");
        assertThatThrownBy(() -> SdkImage.fromLabels("x", "id", Map.of("dev.twoliter.sdk.contract", "7")))
                .hasMessageContaining("contract version 7").hasMessageContaining("supports version 1");
    }

    @Test
    void namesTheSupportedArchesWhenOneIsMissing() throws Exception {
        SdkImage sdk = SdkImage.fromLabels("x", "id", Map.of("dev.twoliter.sdk.contract", "1",
                "dev.twoliter.sdk.macros.x86_64", "/m"));
        assertThatThrownBy(() -> sdk.macrosFor("aarch64")).hasMessageContaining("'aarch64'")
                .hasMessageContaining("supported: x86_64");
    }
}
