package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsReleaseAndGrubQuotingTest {
    @TempDir
    Path dir;

    @Test
    void osReleaseValuesAreDoubleQuotedWithShellSpecialsEscaped() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("NAME", "It's $(touch /tmp/x) `id` \"OS\" \\ ok");
        entries.put("ID", "greet-os");
        assertThat(OsRelease.render(entries)).isEqualTo(
                "NAME=\"It's \\$(touch /tmp/x) \\`id\\` \\\"OS\\\" \\\\ ok\"\nID=\"greet-os\"\n");
    }

    @Test
    void aShellThatSourcesOsReleaseReadsTheValuesLiterally() throws Exception {
        String hostile = "It's $(touch " + dir.resolve("pwned") + ") `id` \"OS\" \\ ok";
        Path file = Files.writeString(dir.resolve("os-release"), OsRelease.render(Map.of("NAME", hostile)));
        Process p = new ProcessBuilder("bash", "-c", ". \"$1\"; printf %s \"$NAME\"", "-", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo(hostile);
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void osReleaseRefusesNewlines() {
        assertThatThrownBy(() -> OsRelease.quote("a\nID=pwned")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void grubWordsAreSingleQuoted() {
        assertThat(GrubQuoting.quote("Greet OS 1.0")).isEqualTo("'Greet OS 1.0'");
        assertThat(GrubQuoting.quote("It's }")).isEqualTo("'It'\\''s }'");
        assertThatThrownBy(() -> GrubQuoting.quote("a\nmenuentry x {")).isInstanceOf(IllegalArgumentException.class);
    }
}
