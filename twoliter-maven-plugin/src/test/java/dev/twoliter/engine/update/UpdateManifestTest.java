package dev.twoliter.engine.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.TwoliterException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateManifestTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static UpdateManifest.Update update(String version, Map<Integer, Instant> waves) {
        UpdateVersion v = UpdateVersion.parse(version).orElseThrow();
        String p = "os-x86_64-" + version + "-";
        return new UpdateManifest.Update("os", "x86_64", v, v, waves,
                UpdateManifest.Images.grub(p + "boot.ext4.zst", p + "root.ext4.zst", p + "hash.verity.zst"));
    }

    @Test
    void addingAVersionRaisesEveryMaxVersionAndRecordsTheStep() throws TwoliterException {
        UpdateManifest m = UpdateManifest.empty();
        m.add(update("1.0.0", Map.of()));
        m.add(update("1.1.0", Map.of(1024, T0, 2048, T0.plusSeconds(3600))));
        String json = new String(m.toBytes(), StandardCharsets.UTF_8);
        UpdateManifest read = UpdateManifest.parse(m.toBytes(), "manifest.json");
        assertThat(read.updates()).extracting(u -> u.version().toString()).containsExactly("1.1.0", "1.0.0");
        assertThat(read.updates()).allSatisfy(u -> assertThat(u.maxVersion().toString()).isEqualTo("1.1.0"));
        assertThat(json).contains("\"(1.0.0, 1.1.0)\" : [ ]").contains("\"1024\" : \"2026-12-01T00:00:00Z\"")
                .contains("\"hash\" : \"os-x86_64-1.1.0-hash.verity.zst\"");
        assertThatThrownBy(() -> read.add(update("1.0.0", Map.of()))).hasMessageContaining("already in the update"
                + " repository");
    }

    @Test
    void aMachineTakesTheNewestVersionItsWaveAllows() throws TwoliterException {
        UpdateManifest m = UpdateManifest.empty();
        m.add(update("1.0.0", Map.of()));
        m.add(update("1.1.0", Map.of(1024, T0, 2048, T0.plusSeconds(3600))));
        UpdateVersion current = UpdateVersion.parse("1.0.0").orElseThrow();
        assertThat(m.choose("os", "x86_64", current, 100, T0)).map(u -> u.version().toString()).contains("1.1.0");
        assertThat(m.choose("os", "x86_64", current, 1500, T0)).isEmpty();
        assertThat(m.choose("os", "x86_64", current, 1500, T0.plusSeconds(3600))).isPresent();
        assertThat(m.choose("os", "aarch64", current, 100, T0)).isEmpty();
        assertThat(m.choose("os", "x86_64", UpdateVersion.parse("1.1.0").orElseThrow(), 0, T0)).isEmpty();
    }

    @Test
    void keepsWhatOtherToolsWroteAndRefusesHostileEntries() throws TwoliterException {
        String other = "{\"updates\":[],\"migrations\":{\"(0.9.0, 1.0.0)\":[\"m1\"]},\"datastore_versions\":{\"a\":1}}";
        UpdateManifest m = UpdateManifest.parse(other.getBytes(StandardCharsets.UTF_8), "manifest.json");
        m.add(update("1.0.0", Map.of()));
        assertThat(new String(m.toBytes(), StandardCharsets.UTF_8)).contains("datastore_versions").contains("m1");
        assertThatThrownBy(() -> UpdateManifest.parse("{\"updates\":[{\"variant\":\"../x\",\"arch\":\"x86_64\"}]}"
                .getBytes(StandardCharsets.UTF_8), "manifest.json")).hasMessageContaining("updates[0]")
                .hasMessageContaining("variant");
        assertThatThrownBy(() -> UpdateManifest.parse("{\"updates\":[],\"updates\":[]}".getBytes(StandardCharsets.UTF_8),
                "manifest.json")).hasMessageContaining("not valid JSON");
        String badImage = new String(m.toBytes(), StandardCharsets.UTF_8).replace("os-x86_64-1.0.0-root.ext4.zst",
                "../../etc/passwd");
        assertThatThrownBy(() -> UpdateManifest.parse(badImage.getBytes(StandardCharsets.UTF_8), "manifest.json"))
                .hasMessageContaining("image \"root\"");
    }

    @Test
    void aUkiUpdateNamesOneUkiPerBankAndNoBootImage() throws TwoliterException {
        UpdateVersion v = UpdateVersion.parse("1.0.0").orElseThrow();
        String p = "os-x86_64-1.0.0-";
        UpdateManifest m = UpdateManifest.empty();
        m.add(new UpdateManifest.Update("os", "x86_64", v, v, Map.of(), UpdateManifest.Images.uki(Map.of(
                dev.twoliter.engine.bank.Bank.A, p + "uki-a.efi", dev.twoliter.engine.bank.Bank.B, p + "uki-b.efi"),
                p + "root.ext4.zst", p + "hash.verity.zst")));
        String json = new String(m.toBytes(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"uki-a\" : \"os-x86_64-1.0.0-uki-a.efi\"").doesNotContain("\"boot\"");
        UpdateManifest.Images read = UpdateManifest.parse(m.toBytes(), "manifest.json").updates().get(0).images();
        assertThat(read.forUki()).isTrue();
        assertThat(read.bootImageFor(dev.twoliter.engine.bank.Bank.B)).isEqualTo(p + "uki-b.efi");

        String both = json.replace("\"root\"", "\"boot\" : \"x.ext4\", \"root\"");
        assertThatThrownBy(() -> UpdateManifest.parse(both.getBytes(StandardCharsets.UTF_8), "manifest.json"))
                .hasMessageContaining("not both");
        String oneUki = json.replace("\"uki-b\"", "\"uki-x\"");
        assertThatThrownBy(() -> UpdateManifest.parse(oneUki.getBytes(StandardCharsets.UTF_8), "manifest.json"))
                .hasMessageContaining("uki-b");
    }
}
