package dev.twoliter.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

/** What an archive entry may be, and which paths may be read from or written into an archive. */
class TarEntryChecksTest {
    @Test
    void unsafePathsAreNamedWithTheirReason() {
        assertThat(TarEntryChecks.unsafePath("")).contains("the name is empty");
        assertThat(TarEntryChecks.unsafePath("/etc/passwd")).contains("it is absolute");
        assertThat(TarEntryChecks.unsafePath("a\\b")).contains("it contains a backslash");
        assertThat(TarEntryChecks.unsafePath("a\nb")).contains("it contains a control character");
        assertThat(TarEntryChecks.unsafePath("a\0b")).contains("it contains a control character");
        assertThat(TarEntryChecks.unsafePath("a/../../b")).contains("it contains '..'");
        assertThat(TarEntryChecks.unsafePath("..")).contains("it contains '..'");
        assertThat(TarEntryChecks.unsafePath("a//b")).contains("it contains an empty path segment");
        assertThat(TarEntryChecks.unsafePath("a/b/")).contains("it contains an empty path segment");
        assertThat(TarEntryChecks.unsafePath("a/..b/c.d/...")).isEmpty();
        assertThat(Tars.unsafePath("/x")).isEqualTo(TarEntryChecks.unsafePath("/x"));
    }

    @Test
    void plainFilesAndDirectoriesAreTheOnlyKindsAccepted() {
        TarArchiveEntry file = new TarArchiveEntry("f");
        file.setSize(3);
        assertThat(TarEntryChecks.unsupportedKind(file)).isEmpty();
        assertThat(TarEntryChecks.unsupportedKind(new TarArchiveEntry("d/"))).isEmpty();
        assertThat(TarEntryChecks.unsupportedKind(new TarArchiveEntry("f", TarConstants.LF_OLDNORM))).isEmpty();

        TarArchiveEntry hard = new TarArchiveEntry("h", TarConstants.LF_LINK);
        hard.setLinkName("f");
        assertThat(TarEntryChecks.unsupportedKind(hard)).contains("a hard link to 'f'");
        assertThat(TarEntryChecks.unsupportedKind(new TarArchiveEntry("c", TarConstants.LF_CHR)))
                .contains("a character device");
        assertThat(TarEntryChecks.unsupportedKind(new TarArchiveEntry("b", TarConstants.LF_BLK))).contains("a block device");
        assertThat(TarEntryChecks.unsupportedKind(new TarArchiveEntry("p", TarConstants.LF_FIFO))).contains("a FIFO");
        assertThat(TarEntryChecks.unsupportedKind(new TarArchiveEntry("v", (byte) 'V')))
                .contains("an entry of tar type 'V'");
        assertThat(TarEntryChecks.unsupportedKind(new TarArchiveEntry("u", (byte) 0x01)))
                .contains("an entry of tar type 0x01");
        TarArchiveEntry fullDirectory = new TarArchiveEntry("d/");
        fullDirectory.setSize(7);
        assertThat(TarEntryChecks.unsupportedKind(fullDirectory)).contains("a directory with 7 bytes of content");
        assertThat(Tars.unsupportedKind(fullDirectory)).isEqualTo(Optional.of("a directory with 7 bytes of content"));
    }

    @Test
    void pathsWrittenIntoAnArchiveStayBelowWhereItIsUnpacked() {
        for (String bad : new String[] {"/abs", "a\\b", "..", "../a", "a/../b", "a/.."}) {
            assertThatThrownBy(() -> TarEntryChecks.checkRelative(bad)).isInstanceOf(IOException.class)
                    .hasMessage("Unsafe archive path: " + bad);
        }
        for (String good : new String[] {"a", "a/b", "a/..b", "..a/b", "a/b.."}) {
            assertThatCode(() -> TarEntryChecks.checkRelative(good)).doesNotThrowAnyException();
        }
    }
}
