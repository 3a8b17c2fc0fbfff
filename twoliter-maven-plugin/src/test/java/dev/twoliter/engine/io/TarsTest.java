package dev.twoliter.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarsTest {
    @TempDir
    Path dir;

    @Test
    void equalContentGivesEqualBytesWhateverTheOrderAndFileTimes() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "alpha");
        Path b = Files.writeString(dir.resolve("b"), "beta");
        Map<String, Path> forward = new LinkedHashMap<>();
        forward.put("x/a.rpm", a);
        forward.put("b.rpm", b);
        Map<String, Path> backward = new LinkedHashMap<>();
        backward.put("b.rpm", b);
        backward.put("x/a.rpm", a);
        byte[] first = tar(forward);
        Files.setLastModifiedTime(a, FileTime.fromMillis(123456789));
        byte[] second = tar(backward);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void extractsWhatItWroteWithExecutableBits() throws Exception {
        Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
        script.toFile().setExecutable(true);
        Path data = Files.writeString(dir.resolve("data"), "d");
        byte[] archive = tar(Map.of("out/bin/run.sh", script, "out/data", data));

        Path target = dir.resolve("target");
        var files = Tars.extract(new ByteArrayInputStream(archive), "out/", target);

        assertThat(files).containsExactlyInAnyOrder(Path.of("bin/run.sh"), Path.of("data"));
        assertThat(target.resolve("bin/run.sh")).hasContent("#!/bin/sh").isExecutable();
        assertThat(Files.isExecutable(target.resolve("data"))).isFalse();
    }

    @Test
    void refusesEntriesThatEscapeTheTarget() throws Exception {
        assertThatThrownBy(() -> Tars.extract(new ByteArrayInputStream(rawTar("../evil", false)), "", dir.resolve("t")))
                .isInstanceOf(IOException.class).hasMessageContaining("../evil");
        assertThatThrownBy(() -> Tars.extract(new ByteArrayInputStream(rawTar("out/../../evil", false)), "out/",
                dir.resolve("t"))).isInstanceOf(IOException.class);
        assertThat(dir.resolve("evil")).doesNotExist();
        assertThat(dir.getParent().resolve("evil")).doesNotExist();
    }

    @Test
    void refusesLinks() throws Exception {
        assertThatThrownBy(() -> Tars.extract(new ByteArrayInputStream(rawTar("link", true)), "", dir.resolve("t")))
                .isInstanceOf(IOException.class).hasMessageContaining("neither a file nor a directory");
    }

    private static byte[] tar(Map<String, Path> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Tars.write(entries, Instant.ofEpochSecond(1767225600), out);
        return out.toByteArray();
    }

    private static byte[] rawTar(String name, boolean symlink) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = symlink ? new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK) : new TarArchiveEntry(name);
            if (symlink) {
                entry.setLinkName("/etc/passwd");
            } else {
                entry.setSize(1);
            }
            tar.putArchiveEntry(entry);
            if (!symlink) {
                tar.write('x');
            }
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }
}
