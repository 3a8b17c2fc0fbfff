package dev.twoliter.engine.vendor;

import java.util.Locale;
import java.util.Optional;

/** The dependency managers whose dependencies are vendored, and the files that mark a tree of theirs. */
public enum VendorKind {
    /** Go modules: {@code go.mod} with the checksums in {@code go.sum}. */
    GO("go.mod", "go.sum"),
    /** Cargo crates: {@code Cargo.toml} with the versions and checksums in {@code Cargo.lock}. */
    CARGO("Cargo.toml", "Cargo.lock");

    private final String manifest;
    private final String lockFile;

    VendorKind(String manifest, String lockFile) {
        this.manifest = manifest;
        this.lockFile = lockFile;
    }

    /** The project file next to the lock file ({@code go.mod}, {@code Cargo.toml}). */
    public String manifest() {
        return manifest;
    }

    /** The file that pins every dependency with its checksum ({@code go.sum}, {@code Cargo.lock}). */
    public String lockFile() {
        return lockFile;
    }

    /** The name used in settings, pins and archive names: {@code go}, {@code cargo}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<VendorKind> of(String id) {
        for (VendorKind kind : values()) {
            if (kind.id().equals(id)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
