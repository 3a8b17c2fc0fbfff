package dev.twoliter.engine.kit;

import static dev.twoliter.engine.kit.KitFixtures.kit;
import static dev.twoliter.engine.kit.KitFixtures.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import dev.twoliter.engine.artifact.RpmArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KitManifestTest {
    private static final KitManifest BASE = KitFixtures.manifest(kit("com.example:core-kit:1.2.0"), sha("p"), 1000,
            List.of(new KitManifest.Rpm("libgreet", 2, "1.0", "1", "x86_64", "Packages/libgreet/a.rpm", 100, sha("a")),
                    new KitManifest.Rpm("greet", 0, "1.0", "1", "noarch", "Packages/greet/b.rpm", 200, sha("b"))),
            kit("com.example:base-kit:3.0"));

    @TempDir
    Path dir;

    @Test
    void roundTripsThroughToml() throws Exception {
        KitManifest manifest = KitFixtures.manifest(kit("com.example:core-kit:1.2.0"), sha("p"), 1000,
                List.of(new KitManifest.Rpm("libgreet", 2, "1.0", "1", "x86_64", "Packages/libgreet/a.rpm", 10, sha("a")),
                        new KitManifest.Rpm("greet+extra", 0, "1.0~rc1", "1", "noarch", "Packages/greet/b.rpm", 20,
                                sha("b"))),
                kit("com.example:base-kit:3.0"), kit("a.b:other-kit:1"));
        Path file = dir.resolve("m.kit.toml");
        manifest.write(file);

        KitManifest read = KitManifest.read(file, "test");

        assertThat(read.coordinates()).isEqualTo(manifest.coordinates());
        assertThat(read.sdk()).isEqualTo(manifest.sdk());
        assertThat(read.kitDependencies()).containsExactly(kit("a.b:other-kit:1"), kit("com.example:base-kit:3.0"));
        assertThat(read.payloads()).isEqualTo(manifest.payloads());
        assertThat(read.payload("x86_64").rpms().get(0).nevra()).isEqualTo("libgreet-2:1.0-1.x86_64");
        assertThat(read.toToml()).isEqualTo(Files.readString(file)).as("writing is deterministic");
    }

    @Test
    void theClosureDeclarationRoundTripsAndABadExceptionIsRefused() throws Exception {
        KitManifest.Closure closure = new KitManifest.Closure(List.of(kit("com.example:core-kit:1.0.0")),
                List.of(dev.twoliter.engine.closure.ExceptedRequirement.of("libnvidia-ml.so.1()(64bit)",
                        "installed by the host's driver package"),
                        dev.twoliter.engine.closure.ExceptedRequirement.of("(foo >= 1.0 with foo < 2)", "optional")));
        KitManifest manifest = new KitManifest(BASE.formatVersion(), BASE.coordinates(), BASE.sdk(),
                BASE.kitDependencies(), BASE.payloads(), Optional.of(closure));
        Path file = dir.resolve("m.kit.toml");
        manifest.write(file);
        assertThat(Files.readString(file)).contains("[closure]\nchecked = true\n", "[[closure.base]]",
                "requirement = \"libnvidia-ml.so.1()(64bit)\"");
        assertThat(KitManifest.read(file, "test")).isEqualTo(manifest);
        BASE.write(file);
        assertThat(KitManifest.read(file, "test").closure()).as("kits built without the check").isEmpty();

        manifest.write(file);
        String toml = Files.readString(file);
        expectRefusal(toml.replace("libnvidia-ml.so.1()(64bit)", "libnvidia-ml.so.1()(64bit) >="),
                "closure.exception[0] is refused");
        expectRefusal(toml.replace("reason = \"optional\"", "reason = \"\""), "closure.exception[1] is refused");
    }

    @Test
    void licensesAndSourcesRoundTripAndAreChecked() throws Exception {
        String sha512 = "cd".repeat(64);
        KitManifest manifest = KitFixtures.manifest(kit("com.example:core-kit:1.2.0"), sha("p"), 1000,
                List.of(new KitManifest.Rpm("greet", 0, "1.0", "1", "x86_64", "Packages/greet/a.rpm", 10, sha("a"),
                        "MIT \"or\" whatever", List.of(new RpmArchive.Source("greet-1.0.tar.gz", sha512,
                                Optional.of("https://example.org/g.tgz")), new RpmArchive.Source("files/x y.conf",
                                sha512, Optional.empty())))));
        Path file = dir.resolve("m.kit.toml");
        manifest.write(file);
        assertThat(Files.readString(file)).contains("[[payload.x86_64.rpm.source]]");
        assertThat(KitManifest.read(file, "test")).isEqualTo(manifest);

        String toml = Files.readString(file);
        expectRefusal(toml.replace("sha512 = \"" + sha512 + "\"\nurl", "sha512 = \"../x\"\nurl"),
                ": payload.x86_64.rpm[0].source[0].sha512 is '../x', which is not 128 lowercase hex digits.");
        expectRefusal(toml.replace("license = \"MIT \\\"or\\\" whatever\"", "license = \"MIT\\nGPL\""),
                ": payload.x86_64.rpm[0].license is 'MIT\\nGPL', which is not one line of at most 4096 characters.");
        expectRefusal(toml.replace("file = \"greet-1.0.tar.gz\"", "file = 7"),
                "payload.x86_64.rpm[0].source[0].file");
    }

    @Test
    void writesFormatTwoWithTheSizeOfEveryRpm() {
        KitManifest manifest = KitFixtures.manifest(kit("com.example:k:1"), "ab".repeat(32), 4096,
                List.of(new KitManifest.Rpm("greet", 0, "1.0", "1", "noarch", "Packages/greet/greet-1.0-1.noarch.rpm",
                        1234, "cd".repeat(32))));
        assertThat(manifest.toToml()).isEqualTo("""
                # twoliter kit manifest
                format-version = 2
                name = "k"
                vendor = "com.example"
                version = "1"
                arches = ["x86_64"]

                [sdk]
                image = "twoliter-sdk:0.1.0"
                id = "%s"
                name = "twoliter-sdk"
                version = "0.1.0"

                [payload.x86_64]
                sha256 = "%s"
                size = 4096

                [[payload.x86_64.rpm]]
                name = "greet"
                epoch = 0
                version = "1.0"
                release = "1"
                arch = "noarch"
                path = "Packages/greet/greet-1.0-1.noarch.rpm"
                size = 1234
                sha256 = "%s"
                """.formatted(KitFixtures.SDK_ID, "ab".repeat(32), "cd".repeat(32)));
    }

    @Test
    void namesWhatIsWrongWithABrokenManifest() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.kit.toml"), "format-version = 2\nname = \"k\"\n");
        assertThatThrownBy(() -> KitManifest.read(file, "com.example:k:1"))
                .isInstanceOf(KitException.class).hasMessage("kit manifest com.example:k:1 (" + file + ") lacks 'vendor'"
                        + " (a string).");
        Files.writeString(file, "format-version = 9\n");
        assertThatThrownBy(() -> KitManifest.read(file, "x")).hasMessageContaining("format-version 9; this plugin reads 2");
        Files.writeString(file, "this is = = not toml");
        assertThatThrownBy(() -> KitManifest.read(file, "x")).hasMessageContaining("is not valid TOML");
    }

    @Test
    void formatOneIsRefusedWithAdvice() {
        assertRefused("format-version = 2", "format-version = 1", "has format-version 1, which this plugin no longer"
                + " reads: format-version 2 adds the size of every RPM, which bounds what unpacking the kit may write."
                + " Rebuild and republish the kit with this version of twoliter-maven-plugin.");
    }

    @Test
    void refusesBadCoordinatesAndArches() {
        assertRefused("vendor = \"com.example\"", "vendor = \"com example\"",
                ": vendor is 'com example', which is not a Maven id");
        assertRefused("name = \"core-kit\"", "name = \"core/kit\"", ": name is 'core/kit', which is not a Maven id");
        assertRefused("version = \"1.2.0\"", "version = \"1.2.0/../x\"",
                ": version is '1.2.0/../x', which is not a Maven version");
        assertRefused("arches = [\"x86_64\"]", "arches = [\"X86_64\"]", ": arches[0] is 'X86_64', which is not an"
                + " architecture name");
        assertRefused("arches = [\"x86_64\"]", "arches = [1]", ": arches[0] must be a string, but it is an integer.");
        assertRefusedAll("payload.x86_64", "payload.\"x86-64\"",
                ": payload has the arch key 'x86-64', which is not an architecture name");
        assertRefused("group-id = \"com.example\"", "group-id = \"com example\"",
                ": kit-dependency[0].group-id is 'com example', which is not a Maven id");
        assertRefused("version = \"3.0\"", "version = \"3 0\"", ": kit-dependency[0].version is '3 0', which is not a"
                + " Maven version");
    }

    @Test
    void refusesPayloadDigestsAndSizesThatCouldBePathsOrBombs() {
        String digest = "sha256 = \"" + sha("p") + "\"";
        assertRefused(digest, "sha256 = \"../../tmp\"", ": payload.x86_64.sha256 is '../../tmp', which is not a sha256"
                + " digest (64 lowercase hex digits).");
        assertRefused(digest, "sha256 = \"" + sha("p").toUpperCase() + "\"", ": payload.x86_64.sha256 is '"
                + sha("p").toUpperCase() + "', which is not a sha256 digest");
        assertRefused("size = 1000", "size = 0", ": payload.x86_64.size is 0, which is not a size between 1 and"
                + " 1099511627776 bytes.");
        assertRefused("size = 1000", "size = 1099511627777", ": payload.x86_64.size is 1099511627777");
        assertRefused("size = 1000", "size = \"1000\"", ": payload.x86_64.size must be an integer, but it is a string"
                + " ('1000').");
    }

    @Test
    void refusesBadRpmFields() {
        assertRefused("name = \"libgreet\"", "name = \"-rf\"", ": payload.x86_64.rpm[0].name is '-rf', which is not an"
                + " RPM package name.");
        assertRefused("epoch = 2", "epoch = -1", ": payload.x86_64.rpm[0].epoch is -1, which is not an RPM epoch"
                + " (0 to 2147483647).");
        assertRefused("epoch = 2", "epoch = 2147483648", ": payload.x86_64.rpm[0].epoch is 2147483648");
        assertRefused("version = \"1.0\"", "version = \"1-0\"", ": payload.x86_64.rpm[0].version is '1-0', which is"
                + " not an RPM version.");
        assertRefused("release = \"1\"", "release = \"a b\"", ": payload.x86_64.rpm[0].release is 'a b'");
        assertRefused("arch = \"x86_64\"", "arch = \"x86-64\"", ": payload.x86_64.rpm[0].arch is 'x86-64', which is"
                + " not an RPM architecture.");
        assertRefused("sha256 = \"" + sha("a") + "\"", "sha256 = \"00\"", ": payload.x86_64.rpm[0].sha256 is '00',"
                + " which is not a sha256 digest");
        assertRefused("size = 100\n", "size = 0\n", ": payload.x86_64.rpm[0].size is 0, which is not a size between 1"
                + " and the payload's size (1000 bytes).");
        assertRefused("size = 100\n", "size = 1001\n", ": payload.x86_64.rpm[0].size is 1001");
        assertRefused("size = 200\n", "size = 901\n", " lists RPMs in payload.x86_64 that add up to more than the payload's"
                + " size of 1000 bytes (at payload.x86_64.rpm[1], 1001 bytes).");
        assertRefused("sha256 = \"" + sha("a") + "\"\n", "", " lacks 'payload.x86_64.rpm[0].sha256' (a string).");
    }

    @Test
    void refusesRpmPathsOutsideTheLayout() {
        String path = "path = \"Packages/libgreet/a.rpm\"";
        for (String bad : List.of("Packages/../a.rpm", "Packages/libgreet/a.txt", "Packages/a/b/c.rpm",
                "/Packages/a/b.rpm", "Packages/.hidden/a.rpm", "Packages/libgreet/.rpm", "repodata/a.rpm",
                "Packages/libgreet/../../../../tmp/x.rpm", "Packages//a.rpm")) {
            assertRefused(path, "path = \"" + bad + "\"", ": payload.x86_64.rpm[0].path is '" + bad + "', which is not"
                    + " of the form Packages/<directory>/<file>.rpm with plain names.");
        }
        assertRefused("path = \"Packages/greet/b.rpm\"", "path = \"Packages/libgreet/a.rpm\"",
                ": payload.x86_64.rpm[1].path is 'Packages/libgreet/a.rpm', which an earlier RPM of payload.x86_64"
                        + " already has; every RPM needs its own path.");
    }

    @Test
    void refusesBadSdkFields() {
        assertRefused("id = \"" + KitFixtures.SDK_ID + "\"", "id = \"sha256:abc\"", ": sdk.id is 'sha256:abc', which is"
                + " not a Docker image id");
        assertRefused("image = \"twoliter-sdk:0.1.0\"", "image = \"a\\nb\"", ": sdk.image is 'a\\nb', which is not one"
                + " line of 1 to 255 printable characters.");
        assertRefused("name = \"twoliter-sdk\"", "name = \"" + "x".repeat(256) + "\"", ": sdk.name is 'xxx");
        assertRefused("version = \"0.1.0\"", "version = \"\"", ": sdk.version is '', which is not one line");
    }

    @Test
    void refusesTooManyRpms() throws Exception {
        String toml = KitFixtures.manifest(kit("com.example:k:1"), sha("p"), 1000, List.of()).toToml()
                + "rpm = [" + "1,".repeat(KitManifest.MAX_RPMS + 1) + "]\n";
        Path file = Files.writeString(dir.resolve("many.kit.toml"), toml);
        assertThatThrownBy(() -> KitManifest.read(file, "test")).isInstanceOf(KitException.class)
                .hasMessage("kit manifest test (" + file + "): payload.x86_64.rpm has 100001 entries, more than the"
                        + " 100000 allowed.");
    }

    @Test
    void refusesAHugeFileWithoutParsingIt() throws Exception {
        Path file = dir.resolve("huge.kit.toml");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(KitManifest.MAX_FILE_BYTES + 1);
        }
        assertThatThrownBy(() -> KitManifest.read(file, "test")).isInstanceOf(KitException.class)
                .hasMessage("kit manifest test (" + file + ") is 67108865 bytes, more than the 67108864 bytes such a"
                        + " file may have; it was not read.");
    }

    @Test
    void aMissingArchIsNamed() {
        KitManifest manifest = KitFixtures.manifest(kit("g:k:1"), sha("p"), List.of());
        assertThatThrownBy(() -> manifest.payload("aarch64")).hasMessageContaining("no payload for arch aarch64")
                .hasMessageContaining("it has: x86_64");
    }

    @Test
    void theBaseOfTheseTestsIsValid() throws Exception {
        Path file = Files.writeString(dir.resolve("base.kit.toml"), BASE.toToml());
        assertThat(KitManifest.read(file, "test")).isEqualTo(BASE);
    }

    /** Replaces the first occurrence of {@code from} in a valid manifest and expects the read to fail. */
    private void assertRefused(String from, String to, String message) {
        String toml = BASE.toToml();
        assertThat(toml).contains(from);
        int at = toml.indexOf(from);
        expectRefusal(toml.substring(0, at) + to + toml.substring(at + from.length()), message);
    }

    private void assertRefusedAll(String from, String to, String message) {
        expectRefusal(BASE.toToml().replace(from, to), message);
    }

    private void expectRefusal(String toml, String message) {
        try {
            Path file = Files.writeString(dir.resolve("bad.kit.toml"), toml);
            assertThatThrownBy(() -> KitManifest.read(file, "test")).isInstanceOf(KitException.class)
                    .hasMessageStartingWith("kit manifest test (" + file + ")").hasMessageContaining(message);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
