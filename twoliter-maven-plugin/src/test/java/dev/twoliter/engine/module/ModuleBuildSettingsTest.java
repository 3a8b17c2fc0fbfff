package dev.twoliter.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twoliter.engine.cache.CacheKey;
import dev.twoliter.engine.fingerprint.Fingerprint;
import org.junit.jupiter.api.Test;

class ModuleBuildSettingsTest {
    @Test
    void theRemoteCacheNamesEntriesByCoordinatesWhateverTheLabel() {
        ModuleBuild.Settings labelled = new ModuleBuild.Settings("com.example:hello (aarch64)", "sdk", false, false);
        ModuleBuild.Settings plain = new ModuleBuild.Settings("com.example:hello", "sdk", false, false);
        Fingerprint inputs = new Fingerprint();
        inputs.put("arch", "aarch64");

        assertThat(labelled.coordinates()).isEqualTo("com.example:hello");
        assertThat(plain.coordinates()).isEqualTo("com.example:hello");
        // A run narrowed to one arch finds the entries a run of every arch stored.
        assertThat(CacheKey.of(labelled.coordinates(), "rpm", inputs))
                .isEqualTo(CacheKey.of(plain.coordinates(), "rpm", inputs));
        assertThat(CacheKey.of(labelled.coordinates(), "rpm", inputs).module()).isEqualTo("com.example:hello");
    }
}
