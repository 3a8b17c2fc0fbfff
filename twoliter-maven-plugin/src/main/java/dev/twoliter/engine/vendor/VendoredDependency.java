package dev.twoliter.engine.vendor;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;

/**
 * One dependency inside a vendor archive, for SBOMs.
 *
 * @param kind Go module or Cargo crate
 * @param name the module path or crate name
 * @param version its version as the lock file names it
 * @param checksum what the lock file pins: the {@code h1:} hash, or the crate's SHA-256
 * @param sha512 the SHA-512 of the module zip or crate file that was fetched and checked
 */
public record VendoredDependency(VendorKind kind, String name, String version, String checksum, String sha512) {
    /** A package URL: {@code pkg:golang/<path>@<version>} or {@code pkg:cargo/<name>@<version>}. */
    public String purl() {
        PackageURLBuilder b = PackageURLBuilder.aPackageURL().withVersion(version);
        if (kind == VendorKind.GO) {
            int slash = name.lastIndexOf('/');
            b.withType("golang").withName(name.substring(slash + 1));
            if (slash > 0) {
                b.withNamespace(name.substring(0, slash));
            }
        } else {
            b.withType("cargo").withName(name);
        }
        try {
            return b.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            // Module paths, crate names and versions were checked against Go's and Cargo's syntax.
            throw new IllegalStateException("Cannot make a package URL of " + name + " " + version, e);
        }
    }
}
