package dev.twoliter.engine.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsThroughItsFileAndReportsNoChange() throws Exception {
        Path source = Files.writeString(dir.resolve("hello.c"), "int main(){}");
        Fingerprint f = new Fingerprint().put("arch", "x86_64").putFile("source:hello.c", source);
        f.write(dir.resolve("fp.txt"));

        Fingerprint read = Fingerprint.read(dir.resolve("fp.txt"));

        assertThat(read.entries()).isEqualTo(f.entries());
        assertThat(read.digest()).isEqualTo(f.digest());
        assertThat(f.changesSince(read)).isEmpty();
    }

    @Test
    void namesEveryChangedAddedAndRemovedInput() throws Exception {
        Fingerprint before = new Fingerprint().put("arch", "x86_64").put("source:a.c", "1").put("source:b.c", "2");
        Fingerprint after = new Fingerprint().put("arch", "x86_64").put("source:a.c", "9").put("source:c.c", "3");

        assertThat(after.changesSince(before)).containsExactly("source:a.c", "source:c.c", "source:b.c (removed)");
        assertThat(after.digest()).isNotEqualTo(before.digest());
    }

    @Test
    void aFileWithControlCharactersOrWithoutKeysReadsAsEmpty() throws Exception {
        Path file = dir.resolve("fp.txt");
        for (String text : List.of("a=1\nb=2\u001b[31m\n", "a=1\u0085\n", "a=1\n=2\n", "a=1\njunk\n", "a\u0000=1\n")) {
            Files.writeString(file, text);
            assertThat(Fingerprint.read(file).isEmpty()).as(text).isTrue();
        }
        Files.writeString(file, "a=1\nb=x=y\n");
        assertThat(Fingerprint.read(file).entries()).containsOnly(Map.entry("a", "1"), Map.entry("b", "x=y"));
    }

    @Test
    void controlCharactersInValuesAreStoredAsSpacesAndRefusedInKeys() throws Exception {
        Fingerprint f = new Fingerprint().put("a", "x\ty\r\nz");
        f.write(dir.resolve("fp.txt"));
        assertThat(Fingerprint.read(dir.resolve("fp.txt")).entries()).containsOnly(Map.entry("a", "x y  z"));
        assertThatThrownBy(() -> new Fingerprint().put("a\tb", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingFileReadsAsEmpty() {
        assertThat(Fingerprint.read(dir.resolve("none.txt")).isEmpty()).isTrue();
    }

    @Test
    void fileContentDecidesNotTimestamps() throws Exception {
        Path file = Files.writeString(dir.resolve("x"), "same");
        String first = new Fingerprint().putFile("x", file).digest();
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
        assertThat(new Fingerprint().putFile("x", file).digest()).isEqualTo(first);
        Files.writeString(file, "different");
        assertThat(new Fingerprint().putFile("x", file).digest()).isNotEqualTo(first);
    }

    @Test
    void keysMayHoldEqualsSignsAndPercents(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Fingerprint f = new Fingerprint().put("source:a=b%3D.patch", "1");
        java.nio.file.Path file = dir.resolve("f.txt");
        f.write(file);
        Fingerprint read = Fingerprint.read(file);
        org.assertj.core.api.Assertions.assertThat(read.changesSince(f)).isEmpty();
        org.assertj.core.api.Assertions.assertThat(read.entries().keySet()).singleElement()
                .satisfies(k -> org.assertj.core.api.Assertions.assertThat(Fingerprint.unescapeKey(k))
                        .isEqualTo("source:a=b%3D.patch"));
    }
}
