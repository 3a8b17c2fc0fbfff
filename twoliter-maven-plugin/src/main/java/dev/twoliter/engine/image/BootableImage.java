package dev.twoliter.engine.image;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.TomlText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * What it takes to boot a built variant: how it boots, whether it has a kernel, and which of its
 * output files to attach as disks. Written next to the build record by every variant build; read
 * by the goal that boots the image in a virtual machine.
 *
 * @param osImage the OS disk, in the output directory
 * @param dataImage the data disk of a split layout
 * @param diskFormat how QEMU reads the files: raw (possibly compressed), qcow2 or vmdk
 * @param arch the arch the image was built for, which decides the machine that boots it
 */
public record BootableImage(ImageOptions.Bootloader bootloader, boolean hasKernel, Path osImage,
        Optional<Path> dataImage, String diskFormat, ImageOptions.Compression compression, Arch arch) {
    static final String FILE = "variant-boot.toml";
    private static final long MAX_BYTES = 4096;

    /** An x86_64 image. */
    public BootableImage(ImageOptions.Bootloader bootloader, boolean hasKernel, Path osImage,
            Optional<Path> dataImage, String diskFormat, ImageOptions.Compression compression) {
        this(bootloader, hasKernel, osImage, dataImage, diskFormat, compression, Arch.X86_64);
    }

    /**
     * The firmware an image of this bootloader and arch boots with: aarch64 machines have UEFI only
     * (there is no BIOS for them, and an aarch64 GRUB image has no BIOS boot code).
     */
    public static List<String> firmware(ImageOptions.Bootloader bootloader, Arch arch) {
        return switch (bootloader) {
            case GRUB -> arch == Arch.X86_64 ? List.of("bios", "uefi") : List.of("uefi");
            case UKI -> List.of("uefi");
            case NONE -> List.of();
        };
    }

    public List<String> firmware() {
        return firmware(bootloader, arch);
    }

    /** Picks the disks among the outputs: raw if built, else qcow2, else vmdk. */
    static BootableImage of(ImageOptions options, boolean hasKernel, List<VariantBuildResult.Output> outputs,
            Arch arch) {
        for (ImageOptions.ImageFormat format : ImageOptions.ImageFormat.values()) {
            if (!options.formats().contains(format)) {
                continue;
            }
            String type = format == ImageOptions.ImageFormat.RAW ? "img" + options.compressedSuffix()
                    : format.toString();
            Optional<Path> os = find(outputs, "os", type);
            if (os.isPresent()) {
                return new BootableImage(options.bootloader(), hasKernel, os.get(), find(outputs, "data", type),
                        format.toString(), format == ImageOptions.ImageFormat.RAW ? options.compression()
                                : ImageOptions.Compression.NONE, arch);
            }
        }
        throw new IllegalStateException("the image step wrote no OS disk");
    }

    private static Optional<Path> find(List<VariantBuildResult.Output> outputs, String classifier, String type) {
        return outputs.stream().filter(o -> o.classifier().equals(classifier) && o.type().equals(type))
                .map(VariantBuildResult.Output::file).findFirst();
    }

    void write(Path workDir) throws IOException {
        StringBuilder t = new StringBuilder("# Written by the variant build; read by the goal that boots the image.\n");
        t.append("format-version = 1\n");
        t.append("bootloader = ").append(TomlText.string(bootloader.toString())).append('\n');
        t.append("kernel = ").append(hasKernel).append('\n');
        t.append("os-image = ").append(TomlText.string(osImage.getFileName().toString())).append('\n');
        if (dataImage.isPresent()) {
            t.append("data-image = ").append(TomlText.string(dataImage.get().getFileName().toString())).append('\n');
        }
        t.append("disk-format = ").append(TomlText.string(diskFormat)).append('\n');
        t.append("compression = ").append(TomlText.string(compression.toString())).append('\n');
        t.append("arch = ").append(TomlText.string(arch.rpmName())).append('\n');
        AtomicFiles.writeString(workDir.resolve(FILE), t.toString());
    }

    /**
     * The bootable image of a variant built into {@code outputDir}, from what the build wrote into
     * {@code workDir}; empty if the variant was never built.
     */
    public static Optional<BootableImage> read(Path workDir, Path outputDir) throws TwoliterException, IOException {
        Path file = workDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new TwoliterException(file + " is larger than " + MAX_BYTES + " bytes; rebuild the variant.");
        }
        TomlParseResult toml = Toml.parse(file);
        try {
            if (toml.hasErrors() || !Long.valueOf(1).equals(toml.get("format-version"))) {
                throw new IllegalArgumentException("not format 1");
            }
            ImageOptions.Bootloader bootloader = ImageOptions.Bootloader.valueOf(
                    string(toml, "bootloader").toUpperCase(java.util.Locale.ROOT));
            Object kernel = toml.get("kernel");
            if (!(kernel instanceof Boolean hasKernel)) {
                throw new IllegalArgumentException("kernel is not a boolean");
            }
            String format = string(toml, "disk-format");
            if (!List.of("raw", "qcow2", "vmdk").contains(format)) {
                throw new IllegalArgumentException("unknown disk format");
            }
            ImageOptions.Compression compression = ImageOptions.Compression.valueOf(
                    string(toml, "compression").toUpperCase(java.util.Locale.ROOT));
            Path os = output(outputDir, string(toml, "os-image"));
            Optional<Path> data = toml.get("data-image") == null ? Optional.empty()
                    : Optional.of(output(outputDir, string(toml, "data-image")));
            // Records written before images had an arch are x86_64 ones.
            Arch arch = toml.get("arch") == null ? Arch.X86_64 : arch(string(toml, "arch"));
            return Optional.of(new BootableImage(bootloader, hasKernel, os, data, format, compression, arch));
        } catch (IllegalArgumentException e) {
            throw new TwoliterException(file + " cannot be read (" + e.getMessage() + "); rebuild the variant.");
        }
    }

    private static Arch arch(String name) {
        try {
            return Arch.of(name);
        } catch (TwoliterException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static String string(TomlParseResult toml, String key) {
        Object value = toml.get(key);
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(key + " is not a string");
        }
        return s;
    }

    /** A file name from the record, which must name a file directly in the output directory. */
    private static Path output(Path outputDir, String name) {
        if (!Syntax.isPlainFileName(name)) {
            throw new IllegalArgumentException(Syntax.show(name) + " is not a plain file name");
        }
        return outputDir.resolve(name);
    }
}
