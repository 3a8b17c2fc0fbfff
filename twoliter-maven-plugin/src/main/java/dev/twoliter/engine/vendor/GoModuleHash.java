package dev.twoliter.engine.vendor;

import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Go's {@code h1:} checksums, as {@code go.sum} records them: the SHA-256 of a summary that lists,
 * for each file sorted by name, the SHA-256 of its content and its name. For a module zip the names
 * are the zip's ({@code path@version/file}); for a go.mod the one name is {@code go.mod}.
 */
public final class GoModuleHash {
    /** Go itself refuses module zips that unpack to more than 500 MB. */
    static final long MAX_UNPACKED_BYTES = 500L << 20;
    static final int MAX_FILES = 100_000;

    private GoModuleHash() {}

    public static String ofGoMod(byte[] goMod) {
        return h1(List.of(new Line(Digests.sha256(goMod), "go.mod")));
    }

    /**
     * The h1 hash of a module zip, after checking that it is one: every file below {@code
     * path@version/}, no name twice, no newline in a name, within Go's size limits.
     */
    public static String ofZip(Path zip, GoModule module) throws IOException, VendorException {
        String prefix = module.id() + "/";
        List<Line> lines = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long total = 0;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                if (!name.startsWith(prefix) || name.indexOf('\n') >= 0 || name.contains("/../")
                        || !names.add(name)) {
                    throw new VendorException("The zip of Go module " + module.id() + " is not a module zip: entry "
                            + dev.twoliter.engine.Syntax.show(name) + " is not a unique file below " + prefix);
                }
                if (names.size() > MAX_FILES) {
                    throw new VendorException("The zip of Go module " + module.id() + " has more than " + MAX_FILES
                            + " files.");
                }
                MessageDigest sha256 = Digests.newDigest("SHA-256");
                byte[] buffer = new byte[65536];
                try (InputStream in = file.getInputStream(entry)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        total += n;
                        if (total > MAX_UNPACKED_BYTES) {
                            throw new VendorException("The zip of Go module " + module.id() + " unpacks to more than "
                                    + (MAX_UNPACKED_BYTES >> 20) + " MiB, Go's own limit.");
                        }
                        sha256.update(buffer, 0, n);
                    }
                }
                lines.add(new Line(HexFormat.of().formatHex(sha256.digest()), name));
            }
        }
        return h1(lines);
    }

    private record Line(String sha256, String name) {}

    private static String h1(List<Line> lines) {
        // Go sorts the names as byte strings; UTF-8 bytes compare in the order of their code points.
        List<Line> sorted = new ArrayList<>(lines);
        sorted.sort((a, b) -> compareUtf8(a.name(), b.name()));
        StringBuilder summary = new StringBuilder();
        for (Line line : sorted) {
            summary.append(line.sha256()).append("  ").append(line.name()).append('\n');
        }
        MessageDigest sha256 = Digests.newDigest("SHA-256");
        return "h1:" + Base64.getEncoder().encodeToString(sha256.digest(summary.toString()
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
