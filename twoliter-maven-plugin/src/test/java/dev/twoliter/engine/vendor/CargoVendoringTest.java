package dev.twoliter.engine.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.net.NetworkLimits;
import dev.twoliter.engine.source.SourceCache;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cargo vendoring end to end against a registry laid out as files: no container is involved. */
class CargoVendoringTest {
    @TempDir
    Path dir;
    private Path registry;
    private Path module;
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void registryWithOneCrate() throws IOException {
        registry = Files.createDirectories(dir.resolve("registry"));
        Path crate = Files.createDirectories(registry.resolve("crates/hex/0.4.3")).resolve("download");
        writeCrate(crate, "hex-0.4.3/", Map.of("Cargo.toml", "[package]\nname = \"hex\"\nversion = \"0.4.3\"\n",
                "src/lib.rs", "pub fn encode() {}\n"));
        Files.writeString(registry.resolve("config.json"), "{\"dl\": \"" + registry.toUri() + "crates\"}");
        module = Files.createDirectories(dir.resolve("module"));
        Files.writeString(module.resolve("Cargo.toml"), "[package]\nname = \"app\"\nversion = \"1.0.0\"\n");
        Files.writeString(module.resolve("Cargo.lock"), lock(Digests.sha256(crate)));
    }

    @Test
    void vendorsPinsAndThenBuildsFromThePinnedArchiveWithoutTheRegistry() throws Exception {
        Vendoring.Result first = vendoring(false).run(trees(), steps());
        assertThat(first.archives()).containsOnlyKeys("cargo-vendor.tar");
        assertThat(first.dependencies()).extracting(VendoredDependency::purl).containsExactly("pkg:cargo/hex@0.4.3");
        assertThat(module.resolve(VendorPins.FILE_NAME)).exists();
        assertThat(new String(Files.readAllBytes(first.archives().get("cargo-vendor.tar")), StandardCharsets.UTF_8))
                .contains("vendor/hex-0.4.3/.cargo-checksum.json").contains("vendor/hex-0.4.3/src/lib.rs");

        deleteTree(registry);
        Vendoring.Result second = vendoring(true).run(trees(), steps());
        assertThat(second.archives().get("cargo-vendor.tar")).isEqualTo(first.archives().get("cargo-vendor.tar"));
        assertThat(log.lines()).anyMatch(l -> l.contains("(pinned) from the cache"));
    }

    @Test
    void refusesACrateWhoseChecksumDiffersNamingBoth() throws Exception {
        Files.writeString(module.resolve("Cargo.lock"), lock("0".repeat(64)));
        assertThatThrownBy(() -> vendoring(false).run(trees(), steps()))
                .hasMessageContaining("crate hex 0.4.3 from " + registry.toUri() + "crates/hex/0.4.3/download has SHA-256 ")
                .hasMessageContaining("but Cargo.lock pins " + "0".repeat(64));
        assertThat(module.resolve(VendorPins.FILE_NAME)).doesNotExist();
    }

    @Test
    void offlineWithoutAnArchiveSaysWhatToDo() throws Exception {
        assertThatThrownBy(() -> vendoring(true).run(trees(), steps()))
                .hasMessageContaining("has not been vendored for this Cargo.lock yet")
                .hasMessageContaining("the build runs offline");
    }

    @Test
    void withoutARegistrySaysWhichSettingToSet() throws Exception {
        Vendoring.Settings s = vendoring(false).settings();
        Vendoring none = new Vendoring(new Vendoring.Settings(Optional.empty(), Optional.empty(), false, s.pinFile(),
                s.workDir(), s.timeout(), s.owner(), Terms.PLAIN), new SourceCache(dir.resolve("cache"), List.of(),
                false, false, log), new VendorDownloads(NetworkLimits.DEFAULTS, null, Map.of(), Terms.PLAIN, log));
        assertThatThrownBy(() -> none.run(trees(), steps()))
                .hasMessageContaining("com.example:app:1.0.0: the module's Cargo.lock needs its dependencies")
                .hasMessageContaining("no Cargo registry is configured: set the cargo registry setting");
    }

    @Test
    void refusesCratesThatEscapeTheirDirectory() throws Exception {
        Path crate = registry.resolve("crates/hex/0.4.3/download");
        writeCrate(crate, "hex-0.4.3/", Map.of("Cargo.toml", "x", "../../evil", "x"));
        Files.writeString(module.resolve("Cargo.lock"), lock(Digests.sha256(crate)));
        assertThatThrownBy(() -> vendoring(false).run(trees(), steps()))
                .hasMessageContaining("crate hex 0.4.3 is not a usable .crate file");
        assertThat(dir.resolve("evil")).doesNotExist();
    }

    private Vendoring vendoring(boolean offline) {
        SourceCache cache = new SourceCache(dir.resolve("cache"), List.of(), false, offline, log);
        Vendoring.Settings settings = new Vendoring.Settings(Optional.empty(),
                Optional.of(new VendorEndpoint(registry.toUri(), null, "<cargoRegistry>")), offline,
                module.resolve(VendorPins.FILE_NAME), Files.exists(dir.resolve("work")) ? dir.resolve("work")
                        : createDirectories(dir.resolve("work")), Duration.ofMinutes(5), "com.example:app:1.0.0",
                Terms.PLAIN);
        return new Vendoring(settings, cache, new VendorDownloads(NetworkLimits.DEFAULTS, null, Map.of(), Terms.PLAIN,
                log));
    }

    private List<VendorTree> trees() throws IOException {
        return VendorTrees.inModuleSources(Map.of("Cargo.toml", module.resolve("Cargo.toml"), "Cargo.lock",
                module.resolve("Cargo.lock")));
    }

    private StepContext steps() {
        return new StepContext(null, null, log);
    }

    private static String lock(String checksum) {
        return "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"1.0.0\"\ndependencies = [\"hex\"]\n\n"
                + "[[package]]\nname = \"hex\"\nversion = \"0.4.3\"\nsource = \"registry+https://example.invalid/index\"\n"
                + "checksum = \"" + checksum + "\"\n";
    }

    private static void writeCrate(Path file, String prefix, Map<String, String> files) throws IOException {
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(file));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(prefix + f.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
    }

    private static Path createDirectories(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        dev.twoliter.engine.io.AtomicFiles.deleteTree(p);
    }
}
