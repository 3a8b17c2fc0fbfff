package dev.twoliter.engine.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CargoLockTest {
    private static final String SUM = "a".repeat(64);
    private static final String REGISTRY = "registry+https://example.invalid/index";

    @Test
    void readsRegistryCratesAndSkipsTheProjectsOwn() throws Exception {
        String lock = "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"1.0.0\"\ndependencies = [\"hex\"]\n\n"
                + "[[package]]\nname = \"hex\"\nversion = \"0.4.3\"\nsource = \"" + REGISTRY + "\"\nchecksum = \""
                + SUM + "\"\n";
        assertThat(CargoLock.parse(lock, "Cargo.lock")).containsExactly(new CargoLock.Crate("hex", "0.4.3", SUM));
    }

    @Test
    void refusesGitCratesMissingChecksumsAndOldFormat() {
        assertThatThrownBy(() -> CargoLock.parse("[[package]]\nname = \"x\"\nversion = \"1.0.0\"\nsource ="
                + " \"git+https://example.invalid/x#abc\"\n", "Cargo.lock")).hasMessageContaining("crate x 1.0.0 comes from");
        assertThatThrownBy(() -> CargoLock.parse("[[package]]\nname = \"x\"\nversion = \"1.0.0\"\nsource = \""
                + REGISTRY + "\"\n", "Cargo.lock")).hasMessageContaining("has no checksum");
        assertThatThrownBy(() -> CargoLock.parse("[metadata]\n\"checksum x 1.0.0\" = \"" + SUM + "\"\n", "Cargo.lock"))
                .hasMessageContaining("first lock file format");
        assertThatThrownBy(() -> CargoLock.parse("[[package]]\nname = \"../x\"\nversion = \"1.0.0\"\n", "Cargo.lock"))
                .hasMessageContaining("invalid name or version");
    }

    @Test
    void buildsDownloadUrlsFromTheRegistryTemplate() throws Exception {
        VendorEndpoint registry = new VendorEndpoint(java.net.URI.create("https://registry.invalid/index/"), null, "r");
        CargoLock.Crate crate = new CargoLock.Crate("serde", "1.0.0", SUM);
        assertThat(CargoVendoring.downloadUrl("https://dl.invalid/crates", crate, registry, "m").toString())
                .isEqualTo("https://dl.invalid/crates/serde/1.0.0/download");
        assertThat(CargoVendoring.downloadUrl("https://dl.invalid/{prefix}/{crate}-{version}.crate", crate, registry,
                "m").toString()).isEqualTo("https://dl.invalid/se/rd/serde-1.0.0.crate");
        assertThatThrownBy(() -> CargoVendoring.downloadUrl("http://dl.invalid/c", crate, registry, "m"))
                .hasMessageContaining("may not send downloads over http");
        assertThatThrownBy(() -> CargoVendoring.downloadUrl("file:///etc", crate, registry, "m"))
                .hasMessageContaining("may not name local files");
    }
}
