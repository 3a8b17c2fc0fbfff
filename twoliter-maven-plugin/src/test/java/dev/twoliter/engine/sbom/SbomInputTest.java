package dev.twoliter.engine.sbom;

import static dev.twoliter.engine.sbom.SbomFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Facts from partly trusted RPM headers and kit manifests are checked before anything is written. */
class SbomInputTest {
    private static final SbomPackage OK = SbomFixtures.rpm("foo", "MIT");

    @Test
    void digestsMustBeLowercaseHexOfTheirLength() {
        rejected("sha256", hex(64, 'A')).hasMessageContaining("SBOM package foo-1.0-1.x86_64")
                .hasMessageContaining("foo-1.0-1.x86_64.rpm").hasMessageContaining("sha256");
        rejected("sha256", hex(63, 'a')).hasMessageContaining("sha256");
        rejected("sha256", null).hasMessageContaining("sha256");
        assertThatThrownBy(() -> new SbomPackage.SourceArchive("foo.tar.gz", hex(64, 'a')))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("foo.tar.gz").hasMessageContaining("sha512");
        assertThatThrownBy(() -> new SbomPackage.SourceArchive("foo.tar.gz", hex(128, 'F')))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("sha512");
    }

    @Test
    void identitiesMustHaveRpmSyntaxAndNoControlCharacters() {
        rejected("name", "foo\nbar").hasMessageContaining("name").hasMessageContaining("'foo\\nbar'");
        rejected("name", "foo bar").hasMessageContaining("name");
        rejected("name", "-foo").hasMessageContaining("name");
        rejected("version", "1.0\u0000").hasMessageContaining("SBOM package foo: version")
                .hasMessageContaining("\\u0000");
        rejected("release", "1-2").hasMessageContaining("release");
        rejected("arch", "x86-64").hasMessageContaining("arch");
        rejected("epoch", -1L).hasMessageContaining("epoch");
        rejected("epoch", 1L << 32).hasMessageContaining("epoch");
        rejected("rpmFileName", "../foo.rpm").hasMessageContaining("rpmFileName");
        // A module's own files keep their path in the module; nothing may climb out of it.
        assertThat(new SbomPackage.SourceArchive("files/motd two.conf", hex(128, 'a')).fileName())
                .isEqualTo("files/motd two.conf");
        for (String path : new String[] {"../b.tar.gz", "a/../b", "/etc/passwd", "a//b", "./a", "a\nb", ""}) {
            assertThatThrownBy(() -> new SbomPackage.SourceArchive(path, hex(128, 'a')))
                    .isInstanceOf(SbomInputException.class).hasMessageContaining("fileName");
        }
    }

    @Test
    void textsAreBoundedAndWellFormed() {
        rejected("license", "x".repeat(SbomPackage.MAX_LICENSE_LENGTH + 1)).hasMessageContaining("license");
        rejected("license", null).hasMessageContaining("license");
        rejected("license", "MIT \ud800").hasMessageContaining("license");
        rejected("summary", Optional.of("half a pair \udc00")).hasMessageContaining("summary");
        rejected("summary", Optional.of("s".repeat(SbomPackage.MAX_SUMMARY_LENGTH + 1)))
                .hasMessageContaining("summary");
        rejected("supplier", "two\nlines").hasMessageContaining("supplier");
        rejected("supplier", " ").hasMessageContaining("supplier");
        rejected("url", Optional.of("https://example.com/\n")).hasMessageContaining("url");
        rejected("kit", Optional.of("just-a-name")).hasMessageContaining("kit");
        rejected("kit", Optional.of("a:b:c:d")).hasMessageContaining("kit");
        rejected("kit", null).hasMessageContaining("kit");
        rejected("sources", Arrays.asList((SbomPackage.SourceArchive) null)).hasMessageContaining("sources");
        assertThatThrownBy(() -> new SbomPackage.SourceArchive("a.tar.gz", hex(128, 'a'), Optional.of("x\ty")))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("url");
        // Control characters are fine in free texts: JSON escapes them.
        assertThat(with(OK, "license", "MIT\nBSD\u0007").license()).isEqualTo("MIT\nBSD\u0007");
    }

    @Test
    void blankOptionalTextsAreAbsent() {
        assertThat(with(OK, "summary", Optional.of("  ")).summary()).isEmpty();
        assertThat(with(OK, "url", Optional.of(" https://example.com/ ")).url()).contains("https://example.com/");
        assertThat(with(OK, "url", Optional.of("")).url()).isEmpty();
    }

    @Test
    void subjectsAreChecked() {
        SbomSubject s = SbomFixtures.variant();
        assertThatThrownBy(() -> new SbomSubject(null, "g", "a", "1", "x86_64", "t", "1", s.timestamp()))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> new SbomSubject(s.kind(), "g/x", "a", "1", "x86_64", "t", "1", s.timestamp()))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("groupId");
        assertThatThrownBy(() -> new SbomSubject(s.kind(), "g", "a", "1 2", "x86_64", "t", "1", s.timestamp()))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> new SbomSubject(s.kind(), "g", "a", "1", "X86_64", "t", "1", s.timestamp()))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("arch");
        assertThatThrownBy(() -> new SbomSubject(s.kind(), "g", "a", "1", "x86_64", "t t", "1", s.timestamp()))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("tool name");
        assertThatThrownBy(() -> new SbomSubject(s.kind(), "g", "a", "1", "x86_64", "t", "1", null))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> new SbomSubject(s.kind(), "g", "a", "1", "x86_64", "t", "1",
                Instant.parse("+10000-01-01T00:00:00Z"))).isInstanceOf(SbomInputException.class)
                .hasMessageContaining("timestamp");
        assertThatThrownBy(() -> new SbomSubject(s.kind(), "g", "a", "1", "x86_64", "t", "1",
                Instant.EPOCH.minusSeconds(1))).isInstanceOf(SbomInputException.class);
    }

    @Test
    void packageListsAreBounded() {
        assertThatThrownBy(() -> Sboms.spdxJson(SbomFixtures.variant(), null)).isInstanceOf(SbomInputException.class);
        assertThatThrownBy(() -> Sboms.spdxJson(null, List.of())).isInstanceOf(SbomInputException.class);
        List<SbomPackage> withNull = new ArrayList<>(List.of(OK));
        withNull.add(null);
        assertThatThrownBy(() -> Sboms.cycloneDxJson(SbomFixtures.variant(), withNull))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("null package");
        List<SbomPackage> tooMany = java.util.Collections.nCopies(Sboms.MAX_PACKAGES + 1, OK);
        assertThatThrownBy(() -> Sboms.cycloneDxJson(SbomFixtures.variant(), tooMany))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("100001 packages, more than 100000");
        // Within each field's bound, but too much together.
        SbomPackage big = with(OK, "license", "x".repeat(SbomPackage.MAX_LICENSE_LENGTH));
        List<SbomPackage> heavy = java.util.Collections.nCopies(
                (int) (Sboms.MAX_TEXT_CHARACTERS / SbomPackage.MAX_LICENSE_LENGTH) + 1, big);
        assertThatThrownBy(() -> Sboms.spdxJson(SbomFixtures.variant(), heavy))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("characters");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> rejected(String field, Object value) {
        return assertThatThrownBy(() -> with(OK, field, value)).isInstanceOf(SbomInputException.class);
    }

    /** A copy of {@code p} with one field replaced, for the cases above. */
    @SuppressWarnings("unchecked")
    private static SbomPackage with(SbomPackage p, String field, Object value) {
        return new SbomPackage(
                field.equals("name") ? (String) value : p.name(),
                field.equals("epoch") ? (Long) value : p.epoch(),
                field.equals("version") ? (String) value : p.version(),
                field.equals("release") ? (String) value : p.release(),
                field.equals("arch") ? (String) value : p.arch(),
                field.equals("license") ? (String) value : p.license(),
                field.equals("supplier") ? (String) value : p.supplier(),
                field.equals("rpmFileName") ? (String) value : p.rpmFileName(),
                field.equals("sha256") ? (String) value : p.sha256(),
                field.equals("kit") ? (Optional<String>) value : p.kit(),
                field.equals("url") ? (Optional<String>) value : p.url(),
                field.equals("summary") ? (Optional<String>) value : p.summary(),
                field.equals("sources") ? (List<SbomPackage.SourceArchive>) value : p.sources());
    }
}
