package dev.twoliter.engine.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VendorPinsTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsPins() throws Exception {
        VendorPins.Pin pin = new VendorPins.Pin(VendorKind.GO, "x-1.0.tar.gz", "x-1.0", "b".repeat(64),
                "x-1.0-go-vendor.tar", "c".repeat(128));
        Map<String, VendorPins.Pin> pins = new TreeMap<>(Map.of(pin.key(), pin));
        Path file = dir.resolve(VendorPins.FILE_NAME);
        VendorPins.write(file, pins);
        assertThat(VendorPins.read(file)).isEqualTo(pins);
    }

    @Test
    void refusesAnInvalidPinNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve(VendorPins.FILE_NAME), "[[vendored]]\nkind = \"go\"\nsource = \".\"\n"
                + "lock-sha256 = \"x\"\narchive = \"../a\"\nsha512 = \"y\"\n");
        assertThatThrownBy(() -> VendorPins.read(file)).hasMessageContaining(file.toString())
                .hasMessageContaining("invalid [[vendored]] entry 1");
    }

    @Test
    void archivesAreByteIdenticalAndCarryTheirDependencies() throws Exception {
        Path vendor = Files.createDirectories(dir.resolve("vendor"));
        Files.writeString(Files.createDirectories(vendor.resolve("hex-0.4.3")).resolve("lib.rs"), "pub fn x() {}\n");
        Files.writeString(vendor.resolve("modules.txt"), "# a\n");
        List<VendoredDependency> deps = List.of(new VendoredDependency(VendorKind.CARGO, "hex", "0.4.3", "d".repeat(64),
                "e".repeat(128)));
        Path one = dir.resolve("one.tar");
        Path two = dir.resolve("two.tar");
        VendorArchive.write(vendor, VendorManifest.text(VendorKind.CARGO, deps), one);
        VendorArchive.write(vendor, VendorManifest.text(VendorKind.CARGO, deps), two);
        assertThat(Files.readAllBytes(one)).isEqualTo(Files.readAllBytes(two));
        assertThat(VendorArchive.dependencies(one)).isEqualTo(deps);
        assertThat(deps.get(0).purl()).isEqualTo("pkg:cargo/hex@0.4.3");
        assertThat(new VendoredDependency(VendorKind.GO, "github.com/pkg/errors", "v0.9.1", "h1:x", "e").purl())
                .isEqualTo("pkg:golang/github.com/pkg/errors@v0.9.1");
    }
}
