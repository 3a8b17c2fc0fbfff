package dev.twoliter.engine.vendor;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.TomlText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * {@value #FILE_NAME} next to the module's pom.xml: for each vendored tree, the digest of the
 * lock file it was vendored from and the SHA-512 of the vendor archive made from it. Committed with
 * the sources, it lets every later build, on any machine, take the archive from a cache or a
 * lookaside mirror by digest instead of asking the registry, and makes a registry that now serves
 * something else an error instead of a silent change.
 */
public final class VendorPins {
    public static final String FILE_NAME = "twoliter-vendor.lock";
    static final int MAX_PINS = 1_000;

    /** One tree's pin. */
    public record Pin(VendorKind kind, String source, String root, String lockSha256, String archive, String sha512) {
        String key() {
            return kind.id() + " " + source + " " + root;
        }
    }

    private VendorPins() {}

    public static Map<String, Pin> read(Path file) throws VendorException, IOException {
        Map<String, Pin> pins = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return pins;
        }
        TomlParseResult toml = Toml.parse(file);
        if (toml.hasErrors()) {
            throw bad(file, "cannot be read: " + toml.errors().get(0));
        }
        TomlArray array = toml.getArray("vendored");
        for (int i = 0; array != null && i < array.size(); i++) {
            if (i >= MAX_PINS || !(array.get(i) instanceof TomlTable t)) {
                throw bad(file, "has a malformed [[vendored]] entry " + (i + 1));
            }
            VendorKind kind = t.get("kind") instanceof String k ? VendorKind.of(k).orElse(null) : null;
            String source = t.get("source") instanceof String s ? s : null;
            String root = t.get("root") instanceof String s ? s : "";
            String lock = t.get("lock-sha256") instanceof String s ? s : null;
            String archive = t.get("archive") instanceof String s ? s : null;
            String sha512 = t.get("sha512") instanceof String s ? s : null;
            if (kind == null || source == null || !Syntax.isOneLine(source, 255) || !Syntax.isOneLine(root, 1024)
                    || !Syntax.isSha256(lock) || archive == null || !Syntax.isPlainFileName(archive)
                    || !Syntax.isSha512(sha512)) {
                throw bad(file, "has an invalid [[vendored]] entry " + (i + 1)
                        + " (kind go or cargo, source, lock-sha256, archive, sha512)");
            }
            Pin pin = new Pin(kind, source, root, lock, archive, sha512);
            pins.put(pin.key(), pin);
        }
        return pins;
    }

    public static void write(Path file, Map<String, Pin> pins) throws IOException {
        StringBuilder t = new StringBuilder("# The Go modules and Cargo crates vendored for this module, pinned by"
                + " twoliter-maven-plugin.\n# Commit this file: later builds take the vendor archives by these"
                + " digests, without a registry.\nformat-version = 1\n");
        for (Pin pin : pins.values()) {
            t.append("\n[[vendored]]\n").append(TomlText.entry("kind", pin.kind().id()))
                    .append(TomlText.entry("source", pin.source())).append(TomlText.entry("root", pin.root()))
                    .append(TomlText.entry("lock-sha256", pin.lockSha256()))
                    .append(TomlText.entry("archive", pin.archive())).append(TomlText.entry("sha512", pin.sha512()));
        }
        AtomicFiles.writeString(file, t.toString());
    }

    private static VendorException bad(Path file, String what) {
        return new VendorException(file + " " + what + "; fix it or delete it to vendor again.");
    }
}
