package dev.twoliter.engine.vendor;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A source tree whose dependencies are vendored: the module's own files (source {@code "."}), or an
 * archive among the module's sources, unpacked, with the project at {@code root} inside it.
 *
 * @param kind Go modules or Cargo crates
 * @param source {@code "."} for the module's own files, else the archive's file name in SOURCES
 * @param archive the archive file, for an archive tree
 * @param root the project's directory inside the tree ({@code ""} for the tree's top)
 * @param files the module's own files (relative path to file), for the module's tree
 * @param manifestText the text of go.mod or Cargo.toml
 * @param lockText the text of go.sum or Cargo.lock
 */
public record VendorTree(VendorKind kind, String source, Optional<Path> archive, String root, Map<String, Path> files,
        String manifestText, String lockText) {
    public static final String MODULE_SOURCES = ".";

    /** For messages: "the module's sources" or "hjson-go-4.4.0.tar.gz (hjson-go-4.4.0/)". */
    public String describe() {
        String where = source.equals(MODULE_SOURCES) ? "the module's " + kind.lockFile()
                : kind.lockFile() + " in " + source;
        return root.isEmpty() ? where : where + " (" + root + "/)";
    }

    /** The vendor archive's name in SOURCES: go-vendor.tar, or hjson-go-4.4.0-go-vendor.tar for an archive tree. */
    public String archiveName() {
        String suffix = kind.id() + "-vendor.tar";
        return source.equals(MODULE_SOURCES) ? suffix : baseName(source) + "-" + suffix;
    }

    /** The key of this tree's pin. */
    String pinKey() {
        return kind.id() + " " + source + " " + root;
    }

    static String baseName(String fileName) {
        for (String extension : new String[] {".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tgz", ".txz", ".tbz2",
                ".tar", ".crate", ".zip"}) {
            if (fileName.endsWith(extension) && fileName.length() > extension.length()) {
                return fileName.substring(0, fileName.length() - extension.length());
            }
        }
        return fileName;
    }
}
