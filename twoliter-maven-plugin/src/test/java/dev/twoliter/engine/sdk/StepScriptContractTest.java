package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepScriptContractTest {
    private static ContainerStep step(String script, Map<String, String> environment) {
        return new ContainerStep("s", FakeSdkContainers.SDK, script, environment, Map.of(), Map.of(), null,
                Path.of("out"), Path.of("log"), Duration.ofSeconds(1), line -> {});
    }

    @Test
    void aVariableReadButNotGivenFails() {
        assertThatThrownBy(() -> StepScriptContract.check(step("echo \"$SPEC_NAME\" $((COUNT + 1))", Map.of("COUNT",
                "1")))).hasMessageContaining("reads but neither receives nor sets").hasMessageContaining("SPEC_NAME");
    }

    @Test
    void aVariableGivenButNotReadFails() {
        assertThatThrownBy(() -> StepScriptContract.check(step("echo hi", Map.of("UNUSED", "1"))))
                .hasMessageContaining("receives but never reads").hasMessageContaining("UNUSED");
    }

    @Test
    void localsOptionalsQuotesAndCommentsAreUnderstood() {
        assertThatCode(() -> StepScriptContract.check(step("""
                # the plugin's comment mentions $NOT_A_VARIABLE
                f() { local a=$1 b; b=$a; echo "$b ${OPTIONAL:-x}"; }
                for item in $LIST; do echo "$item"; done
                mapfile -t lines < /dev/null; echo "${#lines[@]}"
                perl -e 'print $ENV{X}'
                """, Map.of("LIST", "a b", "TZ", "UTC", "EXIT_SETUP", "70")))).doesNotThrowAnyException();
    }
}
