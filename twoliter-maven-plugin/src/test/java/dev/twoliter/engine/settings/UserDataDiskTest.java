package dev.twoliter.engine.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDataDiskTest {
    @TempDir
    Path dir;

    private static SettingsRendering.RenderedFile file(String path, String mode, String content) {
        return new SettingsRendering.RenderedFile(path, mode, content, "motd");
    }

    @Test
    void theDiskIsAPlainUstarArchiveWithTheUserDataFirstPaddedToAMebibyte() throws Exception {
        Path disk = dir.resolve("user-data.img");
        UserDataDisk.write("[settings]\nmotd = \"x\"\n", List.of(file("/etc/motd", "0644", "x\n"),
                file("/etc/chrony.conf", "0600", "server a\n")), disk);

        byte[] bytes = Files.readAllBytes(disk);
        assertThat(bytes.length).isEqualTo(1 << 20);
        // The header the OS identifies the disk by: name, then "ustar" at offset 257.
        assertThat(new String(bytes, 0, UserDataDisk.USER_DATA.length(), StandardCharsets.US_ASCII))
                .isEqualTo(UserDataDisk.USER_DATA);
        assertThat(new String(bytes, 257, 5, StandardCharsets.US_ASCII)).isEqualTo("ustar");
        Map<String, String> entries = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(disk))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                assertThat(e.isFile()).isTrue();
                assertThat(e.isPaxHeader()).isFalse();
                entries.put(e.getName() + " " + Integer.toOctalString(e.getMode() & 07777),
                        new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries).containsExactly(Map.entry("rendered/etc/chrony.conf 600", "server a\n"),
                Map.entry("rendered/etc/motd 644", "x\n"), Map.entry("twoliter-user-data.toml 600",
                        "[settings]\nmotd = \"x\"\n"));
        assertThat(Arrays.copyOfRange(bytes, 8 * 512, bytes.length)).containsOnly((byte) 0);
    }

    @Test
    void aPathTooLongForUstarIsRefusedNotTruncated() {
        String path = "/etc/" + "x".repeat(100);

        assertThatThrownBy(() -> UserDataDisk.write("", List.of(file(path, "0644", "")), dir.resolve("d.img")))
                .hasMessageContaining(path + " is too long a path for the user-data disk");
        assertThat(dir.resolve("d.img")).doesNotExist();
    }

    @Test
    void thePreviewShowsTheFilesAndADiffOfWhatChanges() throws Exception {
        SettingsCheck.Result defaults = new SettingsCheck.Result(null, Map.of(), Map.of(), Map.of(), Map.of(),
                List.of(file("/etc/motd", "0644", "hello\n"), file("/etc/issue", "0644", "same\n")));
        SettingsCheck.Result applied = new SettingsCheck.Result(null, Map.of(), Map.of(), Map.of(), Map.of(),
                List.of(file("/etc/motd", "0644", "fleet\n"), file("/etc/issue", "0644", "same\n")));

        UserDataPreview.Changes changes = UserDataPreview.write(defaults, applied, dir.resolve("check"));

        assertThat(changes.changed()).containsExactly("/etc/motd");
        assertThat(changes.files()).isEqualTo(2);
        assertThat(dir.resolve("check/user-data/etc/motd")).hasContent("fleet");
        assertThat(dir.resolve("check/defaults/etc/motd")).hasContent("hello");
        assertThat(Files.readString(dir.resolve("check/user-data.diff"))).contains("--- defaults/etc/motd",
                "+++ user-data/etc/motd", "-hello", "+fleet").doesNotContain("issue");
    }
}
