package dev.twoliter.maven;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.vendor.VendorDeclaration;
import dev.twoliter.engine.vendor.VendorKind;

/**
 * One {@code <externalSource>} of an rpm module: a file fetched by digest rather than kept next
 * to the spec.
 */
public class ExternalSource {
    /** Upstream URL; its last path segment is the default file name. */
    String url;

    /** SHA-512 of the file, 128 hex digits. Required: nothing unverified reaches a build. */
    String sha512;

    /** Name of the file in the build's SOURCES directory. */
    String fileName;

    /** Fetch from {@link #url} even when the upstream fallback is off. */
    boolean forceUpstream;

    /** Size of the file in bytes, if known: the download is stopped as soon as it brings more. */
    Long size;

    /**
     * Id of the settings.xml {@code <server>} whose credentials the download from {@link #url} uses;
     * default: the server whose id is the URL's {@code host:port} or {@code host}.
     */
    String serverId;

    /**
     * {@code go} or {@code cargo}: this archive is an upstream release whose Go modules or Cargo
     * crates are fetched, checked against its go.sum or Cargo.lock and handed to the build as
     * {@code <name>-go-vendor.tar} or {@code <name>-cargo-vendor.tar}.
     */
    String vendor;

    /** The project's directory inside the archive; default: the archive's one top directory. */
    String vendorRoot;

    /** What {@link #vendor} and {@link #vendorRoot} ask for, if anything; {@code module} names the module in errors. */
    java.util.Optional<VendorDeclaration> vendorDeclaration(String module) throws TwoliterException {
        if (vendor == null || vendor.isBlank()) {
            return java.util.Optional.empty();
        }
        String fileName = toEngine().fileName();
        VendorKind kind = VendorKind.of(vendor.trim()).orElseThrow(() -> new TwoliterException(module
                + ": <vendor> of external source " + fileName + " is " + Syntax.show(vendor) + "; use go or cargo."));
        String root = vendorRoot == null ? null : vendorRoot.trim().replaceAll("/+$", "");
        return java.util.Optional.of(new VendorDeclaration(fileName, kind, java.util.Optional.ofNullable(root)));
    }

    dev.twoliter.engine.source.ExternalSource toEngine() {
        return dev.twoliter.engine.source.ExternalSource.of(url, sha512, fileName, forceUpstream, size, serverId);
    }
}
