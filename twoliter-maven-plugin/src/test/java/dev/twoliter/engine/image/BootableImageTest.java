package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.TwoliterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootableImageTest {
    @TempDir
    Path dir;

    private static ImageOptions options(Set<ImageOptions.ImageFormat> formats, ImageOptions.Bootloader bootloader) {
        return new ImageOptions(2, 1, PartitionPlan.Plan.SPLIT, false, ImageOptions.RootFilesystem.EXT4, formats,
                ImageOptions.Compression.LZ4, List.of(), "P", ImageOptions.Scriptlets.SKIP, bootloader);
    }

    private List<VariantBuildResult.Output> outputs(String... names) {
        return java.util.Arrays.stream(names).map(n -> {
            String rest = n.substring("os-1-".length());
            int dot = rest.indexOf('.');
            return new VariantBuildResult.Output(rest.substring(0, dot), rest.substring(dot + 1), dir.resolve(n), "0".repeat(64));
        }).toList();
    }

    @Test
    void rawIsPreferredAndTheRecordRoundTrips() throws Exception {
        BootableImage image = BootableImage.of(options(Set.of(ImageOptions.ImageFormat.RAW,
                ImageOptions.ImageFormat.QCOW2), ImageOptions.Bootloader.UKI), true,
                outputs("os-1-os.qcow2", "os-1-os.img.lz4", "os-1-data.img.lz4", "os-1-data.qcow2"), Arch.X86_64);
        assertThat(image.osImage()).isEqualTo(dir.resolve("os-1-os.img.lz4"));
        assertThat(image.dataImage()).contains(dir.resolve("os-1-data.img.lz4"));
        assertThat(image.compression()).isEqualTo(ImageOptions.Compression.LZ4);
        image.write(dir);

        assertThat(BootableImage.read(dir, dir)).contains(image);
        assertThat(BootableImage.read(dir.resolve("never-built"), dir)).isEmpty();
    }

    @Test
    void withoutRawTheDiskIsQcow2Uncompressed() {
        BootableImage image = BootableImage.of(options(Set.of(ImageOptions.ImageFormat.QCOW2,
                ImageOptions.ImageFormat.VMDK), ImageOptions.Bootloader.GRUB), false,
                outputs("os-1-os.qcow2", "os-1-os.vmdk"), Arch.X86_64);
        assertThat(image.diskFormat()).isEqualTo("qcow2");
        assertThat(image.compression()).isEqualTo(ImageOptions.Compression.NONE);
        assertThat(image.firmware()).containsExactly("bios", "uefi");
    }

    @Test
    void anAarch64ImageRecordsItsArchAndBootsWithUefiOnly() throws Exception {
        BootableImage image = BootableImage.of(options(Set.of(ImageOptions.ImageFormat.RAW),
                ImageOptions.Bootloader.GRUB), true, outputs("os-1-os.img.lz4", "os-1-data.img.lz4"), Arch.AARCH64);
        assertThat(image.firmware()).containsExactly("uefi");
        image.write(dir);
        assertThat(Files.readString(dir.resolve("variant-boot.toml"))).contains("arch = \"aarch64\"\n");
        assertThat(BootableImage.read(dir, dir)).contains(image);
        assertThat(BootableImage.firmware(ImageOptions.Bootloader.UKI, Arch.AARCH64)).containsExactly("uefi");
    }

    @Test
    void aRecordWithoutAnArchIsAnX86Image() throws Exception {
        Files.writeString(dir.resolve("variant-boot.toml"), "format-version = 1\nbootloader = \"grub\"\nkernel = true\n"
                + "os-image = \"os.img\"\ndisk-format = \"raw\"\ncompression = \"none\"\n");
        assertThat(BootableImage.read(dir, dir)).hasValueSatisfying(i -> assertThat(i.arch()).isEqualTo(Arch.X86_64));
        Files.writeString(dir.resolve("variant-boot.toml"), "format-version = 1\nbootloader = \"grub\"\nkernel = true\n"
                + "os-image = \"os.img\"\ndisk-format = \"raw\"\ncompression = \"none\"\narch = \"riscv64\"\n");
        assertThatThrownBy(() -> BootableImage.read(dir, dir)).hasMessageContaining("unsupported arch 'riscv64'");
    }

    @Test
    void aRecordThatNamesAFileOutsideTheOutputsIsRefused() throws Exception {
        Files.writeString(dir.resolve("variant-boot.toml"), "format-version = 1\nbootloader = \"grub\"\nkernel = true\n"
                + "os-image = \"../../etc/passwd\"\ndisk-format = \"raw\"\ncompression = \"zstd\"\n");
        assertThatThrownBy(() -> BootableImage.read(dir, dir)).isInstanceOf(TwoliterException.class)
                .hasMessageContaining("'../../etc/passwd' is not a plain file name").hasMessageContaining("rebuild the variant");
        Files.writeString(dir.resolve("variant-boot.toml"), "format-version = 1\nbootloader = \"lilo\"\n");
        assertThatThrownBy(() -> BootableImage.read(dir, dir)).hasMessageContaining("cannot be read");
    }
}
