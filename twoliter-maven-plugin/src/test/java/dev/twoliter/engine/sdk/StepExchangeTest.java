package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's half of the exchange directory; the container's half is the wrapper, run by DockerEngineIT. */
class StepExchangeTest {
    @TempDir
    Path dir;

    @Test
    void inputsAreLaidOutAsTheArchiveWouldLayThemOut() throws Exception {
        Path source = Files.writeString(dir.resolve("hello.c"), "int main;");
        Path tool = Files.writeString(dir.resolve("tool.sh"), "#!/bin/sh");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        StepExchange exchange = StepExchange.create(Files.createDirectory(dir.resolve("root")), "c1");
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("work/rpmbuild/SOURCES/hello.c", source);
        files.put("etc/rpm/tool.sh", tool);
        exchange.send(files, "echo step", "A=1\0", "/work/out");

        Path in = exchange.directory().resolve("in");
        assertThat(in.resolve("work/rpmbuild/SOURCES/hello.c")).hasContent("int main;");
        assertThat(in.resolve("work/.twoliter-step.sh")).hasContent("echo step");
        assertThat(Files.readString(in.resolve("work/.twoliter-env"))).isEqualTo("A=1\0");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(in.resolve("etc/rpm/tool.sh")))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(in.resolve("work/rpmbuild/SOURCES/hello.c"))))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(in.resolve("work/rpmbuild")))).isEqualTo("rwxr-xr-x");
        for (Path p : new Path[] {in.resolve("work/rpmbuild/SOURCES/hello.c"), in.resolve("work/rpmbuild"), in}) {
            assertThat(Files.getLastModifiedTime(p)).isEqualTo(FileTime.from(Instant.EPOCH));
        }
        assertThat(exchange.directory().resolve("output-path")).hasContent("/work/out");
        assertThat(exchange.directory().resolve("go")).exists();
    }

    @Test
    void aContainerPathOutsideTheExchangeIsRefused() throws Exception {
        StepExchange exchange = StepExchange.create(dir, "c2");
        Path source = Files.writeString(dir.resolve("x"), "x");
        assertThatThrownBy(() -> exchange.send(Map.of("work/../../escape", source), "", "", null))
                .hasMessageContaining("Unsafe container path");
        assertThat(exchange.directory().resolve("go")).doesNotExist();
    }

    @Test
    void outputsComeBackAsRegularFilesAndDirectories() throws Exception {
        StepExchange exchange = StepExchange.create(dir, "c3");
        Path out = Files.createDirectories(exchange.directory().resolve("out/sub"));
        Files.writeString(out.resolve("a.rpm"), "rpm");
        Path run = Files.writeString(out.getParent().resolve("run.sh"), "#!/bin/sh");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr--r--"));
        Path target = dir.resolve("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("stale"), "kept");
        exchange.receive("/work/out", target);
        assertThat(target.resolve("sub/a.rpm")).hasContent("rpm");
        assertThat(Files.isExecutable(target.resolve("run.sh"))).isTrue();
        assertThat(target.resolve("stale")).hasContent("kept");
    }

    @Test
    void zerosInOutputsBecomeHoles() throws Exception {
        StepExchange exchange = StepExchange.create(dir, "c4");
        Path out = Files.createDirectories(exchange.directory().resolve("out"));
        byte[] image = new byte[16 << 20];
        image[3] = 7;
        image[(12 << 20) + 1] = 9;
        Files.write(out.resolve("os.img"), image);
        Files.write(out.resolve("empty.img"), new byte[4 << 20]);
        Path target = Files.createDirectories(dir.resolve("target"));

        exchange.receive("/work/out", target);

        assertThat(Files.readAllBytes(target.resolve("os.img"))).isEqualTo(image);
        assertThat(Files.size(target.resolve("empty.img"))).isEqualTo(4 << 20);
        assertThat(allocatedBytes(target.resolve("os.img"))).isLessThan(1 << 20);
        assertThat(allocatedBytes(target.resolve("empty.img"))).isLessThan(1 << 20);
    }

    private static long allocatedBytes(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        String blocks = new String(stat.getInputStream().readAllBytes()).strip();
        assertThat(stat.waitFor()).isZero();
        return Long.parseLong(blocks) * 512;
    }

    @Test
    void aLinkAmongTheOutputsFailsTheStepAndIsNotFollowed() throws Exception {
        StepExchange exchange = StepExchange.create(dir, "c4");
        Path out = Files.createDirectories(exchange.directory().resolve("out"));
        Files.createSymbolicLink(out.resolve("passwd"), Path.of("/etc/passwd"));
        Path target = Files.createDirectories(dir.resolve("target"));
        assertThatThrownBy(() -> exchange.receive("/work/out", target))
                .hasMessage("Output entry '/work/out/passwd' is a symbolic link to '/etc/passwd'; only regular files and"
                        + " directories are extracted.");
        assertThat(target.resolve("passwd")).doesNotExist();
    }

    @Test
    void aFifoAmongTheOutputsFailsTheStep() throws Exception {
        StepExchange exchange = StepExchange.create(dir, "c5");
        Path out = Files.createDirectories(exchange.directory().resolve("out"));
        assertThat(new ProcessBuilder("mkfifo", out.resolve("pipe").toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> exchange.receive("/work/out", Files.createDirectories(dir.resolve("target"))))
                .hasMessageContaining("is a special file");
    }

    @Test
    void noOutputDirectoryIsAnError() throws Exception {
        StepExchange exchange = StepExchange.create(dir, "c6");
        assertThatThrownBy(() -> exchange.receive("/work/out", dir.resolve("target")))
                .hasMessage("the step left no directory /work/out");
    }

    @Test
    void readinessIsTheWrappersFileAndFailuresAreItsWords() throws Exception {
        StepExchange exchange = StepExchange.create(dir, "c7");
        assertThat(exchange.awaitReady(Duration.ofMillis(50))).isFalse();
        Files.writeString(exchange.directory().resolve("ready"), "");
        assertThat(exchange.awaitReady(Duration.ofMillis(50))).isTrue();
        assertThat(exchange.failure()).isEmpty();
        Files.writeString(exchange.directory().resolve("failed"), "copying the inputs into place failed\n");
        assertThat(exchange.failure()).contains("copying the inputs into place failed");
        exchange.delete();
        assertThat(exchange.directory()).doesNotExist();
    }
}
