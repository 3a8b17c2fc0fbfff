package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The step environment as the wrapper reads it: NUL-separated assignments, never shell text. */
class StepFilesEnvironmentTest {
    private static ContainerStep step(Map<String, String> environment) {
        return new ContainerStep("env-test", null, "true", environment, Map.of(), Map.of(), null, null,
                Path.of("step.log"), Duration.ofMinutes(1), line -> {});
    }

    @Test
    void valuesArePassedAsTheyAreWithoutQuoting() throws Exception {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("KIT_REPOS", "a\nb");
        environment.put("SPEC_NAME", "$(reboot) `x` 'quoted' \"too\" ; rm -rf /");
        assertThat(StepFiles.environmentFile(step(environment)))
                .isEqualTo("KIT_REPOS=a\nb\0SPEC_NAME=$(reboot) `x` 'quoted' \"too\" ; rm -rf /\0");
    }

    @Test
    void aValueWithNulOrABadNameIsRefused() {
        assertThatThrownBy(() -> StepFiles.environmentFile(step(Map.of("A", "x\0y"))))
                .hasMessageContaining("cannot be passed to a process: 'A'");
        assertThatThrownBy(() -> StepFiles.environmentFile(step(Map.of("A=B", "x"))))
                .hasMessageContaining("cannot be passed to a process");
    }
}
