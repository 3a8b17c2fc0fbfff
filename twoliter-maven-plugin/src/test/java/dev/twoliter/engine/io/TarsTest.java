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
import org.apache.commons.compress.archivers.tar.TarConstants;
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
    void zerosBecomeHolesSoAnUncompressedDiskImageTakesWhatItHolds() throws Exception {
        byte[] image = new byte[16 << 20];
        image[0] = 1;
        image[(8 << 20) + 5] = 2;
        Path tail = dir.resolve("zero-tail.img");
        Files.write(tail, new byte[3 << 20]);
        Path filled = Files.write(dir.resolve("disk.img"), image);
        byte[] archive = tar(Map.of("disk.img", filled, "zero-tail.img", tail));

        Path target = dir.resolve("target");
        Tars.extract(new ByteArrayInputStream(archive), "", target);

        assertThat(Files.readAllBytes(target.resolve("disk.img"))).isEqualTo(image);
        assertThat(Files.size(target.resolve("zero-tail.img"))).isEqualTo(3 << 20);
        assertThat(Files.readAllBytes(target.resolve("zero-tail.img"))).containsOnly(0);
        // Two 64 KiB chunks hold data; the rest is holes (st_blocks counts 512-byte blocks).
        assertThat(allocatedBytes(target.resolve("disk.img"))).isLessThan(1 << 20);
        assertThat(allocatedBytes(target.resolve("zero-tail.img"))).isLessThan(1 << 20);
    }

    private static long allocatedBytes(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        String blocks = new String(stat.getInputStream().readAllBytes()).strip();
        assertThat(stat.waitFor()).isZero();
        return Long.parseLong(blocks) * 512;
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
                .isInstanceOf(IOException.class).hasMessage("Archive entry 'link' is a symbolic link to '/etc/passwd';"
                        + " only regular files and directories are extracted.");
    }

    @Test
    void refusesHardLinksDevicesFifosAndOtherTypes() throws Exception {
        for (byte type : new byte[] {TarConstants.LF_LINK, TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_FIFO,
                TarConstants.LF_CONTIG, (byte) 'V'}) {
            byte[] archive = archive(tar -> {
                TarArchiveEntry entry = new TarArchiveEntry("out/x", type);
                if (type == TarConstants.LF_LINK) {
                    entry.setLinkName("out/y");
                }
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            });
            assertThatThrownBy(() -> Tars.extract(new ByteArrayInputStream(archive), "out/", dir.resolve("t")))
                    .isInstanceOf(IOException.class).hasMessageStartingWith("Archive entry 'out/x' is a")
                    .hasMessageEndingWith("; only regular files and directories are extracted.");
        }
        assertThat(dir.resolve("t/x")).doesNotExist();
    }

    @Test
    void refusesSparseFilesWithoutExpandingThem() throws Exception {
        byte[] archive = archive(tar -> {
            paxHeader(tar, "GNU.sparse.size", "2000000000", "GNU.sparse.numblocks", "1", "GNU.sparse.map", "1999999999,1");
            file(tar, "out/bomb", new byte[] {'x'});
        });
        assertThatThrownBy(() -> Tars.extract(new ByteArrayInputStream(archive), "out/", dir.resolve("t")))
                .isInstanceOf(IOException.class)
                .hasMessage("Archive entry 'out/bomb' is a sparse file (1 bytes stored, 2000000000 bytes when expanded);"
                        + " only regular files and directories are extracted.");
        assertThat(dir.resolve("t/bomb")).doesNotExist();
    }

    @Test
    void wrapsWhatTheTarLibraryReportsByException() throws Exception {
        byte[] archive = archive(tar -> {
            file(tar, "out/first", new byte[] {'1'});
            paxHeader(tar, "GNU.sparse.size", "not a number");
            file(tar, "out/second", new byte[] {'2'});
        });
        assertThatThrownBy(() -> Tars.extract(new ByteArrayInputStream(archive), "out/", dir.resolve("t")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Archive is not a readable tar archive after entry 'out/first': ");
    }

    @Test
    void refusesExtensionHeadersLargerThanAnyRealName() throws Exception {
        byte[] archive = archive(tar -> {
            TarArchiveEntry longName = new TarArchiveEntry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME);
            byte[] name = new byte[GuardedTarInputStream.MAX_EXTENSION_BYTES + 10];
            java.util.Arrays.fill(name, (byte) 'a');
            longName.setSize(name.length);
            tar.putArchiveEntry(longName);
            tar.write(name);
            tar.closeArchiveEntry();
            file(tar, "short", new byte[] {'x'});
        });
        assertThatThrownBy(() -> Tars.extract(new ByteArrayInputStream(archive), "", dir.resolve("t")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the extension headers (PAX records, GNU long names) of one entry exceed 1048576"
                        + " bytes");
    }

    @Test
    void refusesTheSamePathTwice() throws Exception {
        byte[] archive = archive(tar -> {
            file(tar, "out/a", new byte[] {'1'});
            file(tar, "out/a", new byte[] {'2'});
        });
        assertThatThrownBy(() -> Tars.extract(new ByteArrayInputStream(archive), "out/", dir.resolve("t")))
                .isInstanceOf(IOException.class).hasMessageStartingWith("Archive entry 'out/a' appears twice");
        assertThat(dir.resolve("t/a")).hasContent("1");
    }

    @Test
    void boundsTheTotalSizeBeforeWritingAnEntry() throws Exception {
        byte[] archive = archive(tar -> {
            file(tar, "out/a", new byte[10]);
            file(tar, "out/b", new byte[10]);
        });
        assertThat(Tars.extract(new ByteArrayInputStream(archive), "out/", dir.resolve("ok"), 20)).hasSize(2);
        assertThatThrownBy(() -> Tars.extract(new ByteArrayInputStream(archive), "out/", dir.resolve("t"), 15))
                .isInstanceOf(IOException.class)
                .hasMessage("Archive entry 'out/b' declares 10 bytes, but only 5 bytes remain of the limit of 15 bytes for"
                        + " the whole archive; refused.");
        assertThat(dir.resolve("t/a")).exists();
        assertThat(dir.resolve("t/b")).doesNotExist();
    }

    @Test
    void aHugeDeclaredSizeFailsBeforeAnythingIsWritten() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
        TarArchiveEntry entry = new TarArchiveEntry("out/huge");
        entry.setSize(3_000_000_000L);
        tar.putArchiveEntry(entry);
        tar.write(new byte[100]);
        tar.flush();
        assertThatThrownBy(() -> Tars.extract(new ByteArrayInputStream(bytes.toByteArray()), "out/", dir.resolve("t"),
                1 << 20)).isInstanceOf(IOException.class).hasMessageContaining("declares 3000000000 bytes");
        assertThat(dir.resolve("t/huge")).doesNotExist();
        // Without a bound, the copy stops where the archive ends.
        assertThatThrownBy(() -> Tars.extract(new ByteArrayInputStream(bytes.toByteArray()), "out/", dir.resolve("u")))
                .isInstanceOf(IOException.class).hasMessageContaining("'out/huge'");
        assertThat(Files.size(dir.resolve("u/huge"))).isLessThanOrEqualTo(1024);
    }

    interface TarWriter {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private static byte[] archive(TarWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            writer.write(tar);
        }
        return out.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** A raw PAX header: commons-compress interprets sparse keys passed to addPaxHeader instead of writing them. */
    private static void paxHeader(TarArchiveOutputStream tar, String... keysAndValues) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String body = " " + keysAndValues[i] + "=" + keysAndValues[i + 1] + "\n";
            int length = body.length() + 1;
            while (String.valueOf(length).length() + body.length() != length) {
                length++;
            }
            text.append(length).append(body);
        }
        byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TarArchiveEntry header = new TarArchiveEntry("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
        header.setSize(bytes.length);
        tar.putArchiveEntry(header);
        tar.write(bytes);
        tar.closeArchiveEntry();
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

    @Test
    void aMarkerEntryComesAfterEveryOtherEntry() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "alpha");
        Map<String, Path> entries = new LinkedHashMap<>();
        entries.put("zzz/last-by-name", a);
        entries.put("work/.twoliter-step.sh", a);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Tars.write(entries, Instant.EPOCH, "work/.twoliter-go", out);
        java.util.List<String> names = new java.util.ArrayList<>();
        try (var tar = Tars.reader(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e; (e = tar.getNextTarEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        assertThat(names).last().isEqualTo("work/.twoliter-go");
        assertThat(names).contains("zzz/last-by-name", "work/.twoliter-step.sh");
        assertThatThrownBy(() -> Tars.write(entries, Instant.EPOCH, "zzz/last-by-name", new ByteArrayOutputStream()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
