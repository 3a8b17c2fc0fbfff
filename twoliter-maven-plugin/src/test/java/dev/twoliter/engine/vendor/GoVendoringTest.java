package dev.twoliter.engine.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.net.NetworkLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching and checking modules from a proxy laid out as files (the container step is the ITs'). */
class GoVendoringTest {
    private static final GoModule MODULE = new GoModule("example.com/Lib", "v1.2.0", null, null);
    @TempDir
    Path dir;
    private Path proxy;
    private String zipHash;
    private String modHash;

    @BeforeEach
    void proxyWithOneModule() throws IOException, VendorException {
        proxy = Files.createDirectories(dir.resolve("proxy"));
        Path base = Files.createDirectories(proxy.resolve("example.com/!lib/@v"));
        byte[] goMod = "module example.com/Lib\n\ngo 1.21\n".getBytes(StandardCharsets.UTF_8);
        Files.write(base.resolve("v1.2.0.mod"), goMod);
        Path zip = base.resolve("v1.2.0.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String name : List.of("go.mod", "lib.go")) {
                z.putNextEntry(new ZipEntry("example.com/Lib@v1.2.0/" + name));
                z.write(name.equals("go.mod") ? goMod : "package lib\n".getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        zipHash = GoModuleHash.ofZip(zip, MODULE);
        modHash = GoModuleHash.ofGoMod(goMod);
    }

    @Test
    void fetchesCheckedModulesIntoAProxyLayout() throws Exception {
        GoModule pinned = new GoModule(MODULE.path(), MODULE.version(), zipHash, modHash);
        Path out = dir.resolve("out");
        List<GoVendoring.Fetched> fetched = GoVendoring.fetch(List.of(pinned), endpoint(), downloads(), out, "m");
        assertThat(fetched).hasSize(1);
        assertThat(fetched.get(0).zipSha512()).hasSize(128);
        assertThat(out.resolve("example.com/!lib/@v/v1.2.0.zip")).exists();
        assertThat(out.resolve("example.com/!lib/@v/list")).hasContent("v1.2.0");
    }

    @Test
    void refusesAZipWhoseHashDiffersNamingBoth() {
        String other = "h1:" + "A".repeat(43) + "=";
        GoModule pinned = new GoModule(MODULE.path(), MODULE.version(), other, modHash);
        assertThatThrownBy(() -> GoVendoring.fetch(List.of(pinned), endpoint(), downloads(), dir.resolve("out"), "m"))
                .hasMessageContaining("the zip of Go module example.com/Lib@v1.2.0 from " + endpoint().shown()
                        + " has checksum " + zipHash + ", but go.sum pins " + other);
    }

    @Test
    void leavesOutWhatTheProxyDoesNotHave() throws Exception {
        GoModule absent = new GoModule("example.com/absent", "v0.1.0", zipHash, modHash);
        assertThat(GoVendoring.fetch(List.of(absent), endpoint(), downloads(), dir.resolve("out"), "m"))
                .extracting(GoVendoring.Fetched::zipSha512).containsExactly((String) null);
    }

    @Test
    void refusesZipsWithFilesOutsideTheModule() throws Exception {
        Path zip = dir.resolve("evil.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("example.com/other@v1.2.0/x.go"));
            z.closeEntry();
        }
        assertThatThrownBy(() -> GoModuleHash.ofZip(zip, MODULE)).hasMessageContaining("is not a module zip");
    }

    private VendorEndpoint endpoint() {
        return new VendorEndpoint(proxy.toUri(), null, "<goProxy>");
    }

    private VendorDownloads downloads() {
        return new VendorDownloads(NetworkLimits.DEFAULTS, null, Map.of(), Terms.PLAIN, new RecordingLog());
    }
}
