package dev.twoliter.engine.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BuildEnvironmentTest {
    @Test
    void theBuildGetsAFixedListAndTheTimestampOnlyWhenThereIsOne() {
        assertThat(BuildEnvironment.variables(Optional.empty())).containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "TZ");
        assertThat(BuildEnvironment.variables(Optional.of(Instant.ofEpochSecond(1700000000))))
                .containsEntry("SOURCE_DATE_EPOCH", "1700000000").containsEntry("TZ", "UTC")
                .containsEntry("HOME", "/work/home");
    }

    @Test
    void theFileHoldsOneNulTerminatedAssignmentPerVariable() {
        String text = new String(BuildEnvironment.file(Optional.of(Instant.ofEpochSecond(5))), StandardCharsets.UTF_8);
        assertThat(text).startsWith("PATH=/usr/local/sbin:").endsWith("SOURCE_DATE_EPOCH=5\0");
        assertThat(text.split("\0")).hasSize(6).allMatch(a -> a.matches("[A-Z_]+=[^\n]*"));
    }

    @Test
    void rpmbuildRunsWithNothingButTheFile() {
        assertThat(RpmbuildStep.SCRIPT).contains("mapfile -d '' -t build_env < " + RpmbuildStep.BUILD_ENVIRONMENT)
                .contains("env -i \"${build_env[@]}\" rpmbuild");
    }

    @Test
    void theDocumentedListIsTheList() throws Exception {
        String docs = Files.readString(Path.of("../docs/rpm-packaging.md"));
        Matcher section = Pattern.compile("(?s)### The build environment\n(.*?)\n#").matcher(docs);
        assertThat(section.find()).as("docs/rpm-packaging.md has a section 'The build environment'").isTrue();
        for (var variable : BuildEnvironment.variables(Optional.of(Instant.EPOCH)).entrySet()) {
            String shown = variable.getKey().equals("SOURCE_DATE_EPOCH") ? "`SOURCE_DATE_EPOCH`"
                    : "`" + variable.getKey() + "=" + variable.getValue() + "`";
            assertThat(section.group(1)).as("documented: " + shown).contains(shown);
        }
    }
}
