package dev.twoliter.engine.vendor;

import dev.twoliter.engine.io.Tars;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The vendor archive: {@code vendor/} as the build unpacks it into its source tree, and {@value
 * VendorManifest#ENTRY}. Plain tar with sorted entries, root ownership, the epoch as time and modes
 * from the executable bit: the same dependencies give the same bytes on every machine, which is what
 * lets a SHA-512 pin it. (Uncompressed, because no compressor's output is pinned across versions.)
 */
final class VendorArchive {
    static final String VENDOR_DIR = "vendor";

    private VendorArchive() {}

    static void write(Path vendorDir, String manifestText, Path target) throws IOException {
        Map<String, Path> entries = new TreeMap<>();
        if (Files.isDirectory(vendorDir)) {
            try (Stream<Path> walk = Files.walk(vendorDir)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    entries.put(VENDOR_DIR + "/" + vendorDir.relativize(file).toString().replace('\\', '/'), file);
                }
            }
        }
        Path manifest = target.resolveSibling(target.getFileName() + ".manifest");
        Files.writeString(manifest, manifestText);
        entries.put(VendorManifest.ENTRY, manifest);
        try (OutputStream out = Files.newOutputStream(target)) {
            Tars.write(entries, Instant.EPOCH, out);
        } finally {
            Files.deleteIfExists(manifest);
        }
    }

    /** The dependency list of an archive whose SHA-512 was already checked. */
    static List<VendoredDependency> dependencies(Path archive) throws VendorException, IOException {
        try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = Tars.reader(in)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.getName().equals(VendorManifest.ENTRY) && entry.isFile()
                        && entry.getSize() <= VendorTrees.MAX_LOCK_BYTES * 4) {
                    ByteArrayOutputStream text = new ByteArrayOutputStream();
                    tar.transferTo(text);
                    return VendorManifest.parse(text.toString(StandardCharsets.UTF_8), archive.toString());
                }
            }
        }
        throw new VendorException("Vendor archive " + archive + " has no " + VendorManifest.ENTRY + ".");
    }
}
