package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.maven.MavenTerms;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageOptionsTest {
    private static ImageOptions.Raw raw(String plan, String fs, List<String> formats, String compression,
            String scriptlets) {
        return new ImageOptions.Raw(2, 1, plan, true, fs, formats, compression, List.of("console=ttyS0"), "P",
                scriptlets, "grub");
    }

    @Test
    void valuesParseWhateverTheirCaseAndFormatsKeepOneOrder() throws Exception {
        ImageOptions options = ImageOptions.parse(raw("unified", "EROFS", List.of("vmdk", " raw ", "qcow2", "raw"),
                "lz4", "Run"), "m", MavenTerms.INSTANCE);
        assertThat(options.partitionPlan()).isEqualTo(PartitionPlan.Plan.UNIFIED);
        assertThat(options.rootFilesystem()).isEqualTo(ImageOptions.RootFilesystem.EROFS);
        assertThat(options.formats()).containsExactly(ImageOptions.ImageFormat.RAW, ImageOptions.ImageFormat.QCOW2,
                ImageOptions.ImageFormat.VMDK);
        assertThat(options.compressedSuffix()).isEqualTo(".lz4");
        assertThat(options.scriptlets()).isEqualTo(ImageOptions.Scriptlets.RUN);
        assertThat(options.toString()).as("the fingerprint's text").contains("formats=[raw, qcow2, vmdk]");
    }

    @Test
    void anUnknownValueNamesTheSettingAndWhatItAllows() {
        assertThatThrownBy(() -> ImageOptions.parse(raw("split", "btrfs", List.of("raw"), "zstd", "skip"), "g:os",
                MavenTerms.INSTANCE)).isInstanceOf(TwoliterException.class)
                .hasMessage("g:os: <rootFilesystem> is 'btrfs'; use ext4 or erofs.");
        assertThatThrownBy(() -> ImageOptions.parse(raw("split", "ext4", List.of("raw"), "gzip", "skip"), "g:os",
                MavenTerms.INSTANCE)).hasMessage("g:os: <imageCompression> is 'gzip'; use zstd, lz4 or none.");
        assertThatThrownBy(() -> ImageOptions.parse(raw("split", "ext4", List.of("iso"), "zstd", "skip"), "g:os",
                MavenTerms.INSTANCE)).hasMessageContaining("unknown image format 'iso' (use raw, qcow2 or vmdk)");
        assertThatThrownBy(() -> ImageOptions.parse(raw("split", "ext4", List.of("raw"), "zstd", "always"), "g:os",
                MavenTerms.INSTANCE)).hasMessage("g:os: <packageScriptlets> is 'always'; use skip or run.");
        assertThatThrownBy(() -> ImageOptions.parse(raw(null, "ext4", List.of("raw"), "zstd", "skip"), "g:os",
                MavenTerms.INSTANCE)).hasMessageStartingWith("g:os: <imageLayout><partitionPlan> is ");
    }
}
