package dev.twoliter.engine.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Tars;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sources list inside an rpm module's artifact: written, read back, and checked when it comes from elsewhere. */
class RpmArchiveTest {
    private static final String SHA512 = "ef".repeat(64);

    @TempDir
    Path dir;

    private Path archive(String sources) throws Exception {
        Map<String, Path> entries = new TreeMap<>();
        entries.put("pkg-1.0-1.x86_64.rpm", Files.writeString(dir.resolve("pkg.rpm"), "rpm"));
        if (sources != null) {
            entries.put(RpmArchive.SOURCES_ENTRY, Files.writeString(dir.resolve("sources.toml"), sources));
        }
        Path archive = dir.resolve("pkg.rpm.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            Tars.write(entries, Instant.EPOCH, out);
        }
        return archive;
    }

    @Test
    void theListRoundTripsAndUnpackingLeavesOnlyTheRpms() throws Exception {
        List<RpmArchive.Source> sources = List.of(new RpmArchive.Source("pkg-1.0.tar.gz", SHA512,
                Optional.of("https://example.org/pkg.tgz")), new RpmArchive.Source("files/a \"b\".conf", SHA512,
                Optional.empty()));
        Path archive = archive(RpmArchive.sourcesText(sources));

        RpmArchive.Contents contents = RpmArchive.unpackWithSources(archive, dir.resolve("out"), "m");
        assertThat(contents.sources()).isEqualTo(sources);
        assertThat(contents.rpms()).containsExactly(dir.resolve("out/pkg-1.0-1.x86_64.rpm"));
        assertThat(RpmArchive.unpack(archive, dir.resolve("again"), "m")).containsExactly(
                dir.resolve("again/pkg-1.0-1.x86_64.rpm"));
        assertThat(dir.resolve("out").resolve(RpmArchive.SOURCES_ENTRY)).doesNotExist();
    }

    private List<RpmArchive.Source> sources(Path archive, String module) throws Exception {
        return RpmArchive.unpackWithSources(archive, dir.resolve("unpacked-" + archive.getFileName()), module)
                .sources();
    }

    /** An rpm module's archive with RPMs for x86_64, aarch64 and noarch, and a sources list. */
    private Path bothArchesArchive() throws Exception {
        Map<String, Path> entries = new TreeMap<>();
        entries.put("lib-1-1.x86_64.rpm", Files.writeString(dir.resolve("a"), "x86"));
        entries.put("lib-1-1.aarch64.rpm", Files.writeString(dir.resolve("b"), "arm"));
        entries.put("lib-doc-1-1.noarch.rpm", Files.writeString(dir.resolve("c"), "doc"));
        entries.put(RpmArchive.SOURCES_ENTRY, Files.writeString(dir.resolve("d"), "format-version = 1\n"));
        Path archive = dir.resolve("lib.rpm.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            Tars.write(entries, Instant.EPOCH, out);
        }
        return archive;
    }

    @Test
    void anArchsDigestsCoverItsOwnAndNoarchRpmsOnly() throws Exception {
        Path archive = bothArchesArchive();

        assertThat(RpmArchive.digestsFor(archive, "aarch64", "m")).containsOnlyKeys("lib-1-1.aarch64.rpm",
                "lib-doc-1-1.noarch.rpm").containsEntry("lib-1-1.aarch64.rpm",
                dev.twoliter.engine.io.Digests.sha256("arm"));
        assertThat(RpmArchive.digestsFor(archive, "x86_64", "m")).containsOnlyKeys("lib-1-1.x86_64.rpm",
                "lib-doc-1-1.noarch.rpm");
        Path notTar = Files.writeString(dir.resolve("junk.tar"), "not a tar at all".repeat(64));
        assertThatThrownBy(() -> RpmArchive.digestsFor(notTar, "x86_64", "g:m"))
                .hasMessageStartingWith("g:m: package artifact " + notTar + " is not an archive of RPMs");
    }

    @Test
    void unpackingForAnArchWritesItsOwnAndNoarchRpmsAndNamesTheOtherArches() throws Exception {
        Path archive = bothArchesArchive();

        Path into = dir.resolve("x86");
        RpmArchive.Contents x86 = RpmArchive.unpackFor(archive, into, "m", "x86_64");
        assertThat(x86.rpms()).containsExactly(into.resolve("lib-1-1.x86_64.rpm"), into.resolve("lib-doc-1-1.noarch.rpm"));
        assertThat(x86.otherArches()).containsExactly("aarch64");
        assertThat(into.resolve("lib-1-1.aarch64.rpm")).doesNotExist();
        RpmArchive.Contents all = RpmArchive.unpackWithSources(archive, dir.resolve("all"), "m");
        assertThat(all.rpms()).hasSize(3);
        assertThat(all.otherArches()).isEmpty();
    }

    @Test
    void anArchiveWithoutAListHasNoSources() throws Exception {
        assertThat(sources(archive(null), "m")).isEmpty();
    }

    @Test
    void aForgedListIsRefusedNamingTheArtifact() throws Exception {
        Path bad = archive("format-version = 1\n[[source]]\nfile = \"a\"\nsha512 = \"../../etc\"\n");
        assertThatThrownBy(() -> sources(bad, "g:m")).isInstanceOf(TwoliterException.class)
                .hasMessage("g:m: the sources list twoliter-sources.toml in package artifact " + bad
                        + " has an invalid sha512 for 'a'.");
        Path newline = archive("[[source]]\nfile = \"a\\nb\"\nsha512 = \"" + SHA512 + "\"\n");
        assertThatThrownBy(() -> sources(newline, "g:m")).hasMessageContaining("has an invalid file name");
        Path broken = archive("[[source]\n");
        assertThatThrownBy(() -> sources(broken, "g:m")).hasMessageContaining("cannot be read");
        Path huge = archive("# " + "x".repeat(5 << 20) + "\n");
        assertThatThrownBy(() -> sources(huge, "g:m")).hasMessageContaining("is larger than 4194304 bytes");
    }

    @Test
    void aPrebuiltRpmComesOnlyFromItselfABuiltOneFromEverySource() {
        RpmArchive.Source tarball = new RpmArchive.Source("x-1.tar.gz", "1".repeat(128), Optional.empty());
        RpmArchive.Source agent = new RpmArchive.Source("prebuilt/agent.rpm", "2".repeat(128), Optional.empty());
        RpmArchive.Source doc = new RpmArchive.Source("prebuilt/doc.rpm", "3".repeat(128), Optional.empty());
        assertThat(agent.prebuilt()).isTrue();
        assertThat(tarball.prebuilt()).isFalse();
        assertThat(RpmArchive.sourcesOf("2".repeat(128), List.of(agent, doc))).containsExactly(agent);
        assertThat(RpmArchive.sourcesOf("9".repeat(128), List.of(tarball))).containsExactly(tarball);
        // The prefix survives the sources list's text.
        assertThat(RpmArchive.sourcesText(List.of(agent))).contains("file = \"prebuilt/agent.rpm\"");
    }
}
