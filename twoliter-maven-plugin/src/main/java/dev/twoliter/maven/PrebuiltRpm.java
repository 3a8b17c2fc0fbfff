package dev.twoliter.maven;

import dev.twoliter.engine.prebuilt.PrebuiltDeclaration;

/**
 * One {@code <prebuiltRpm>} of {@code <prebuiltRpms>}: an RPM the module takes as its vendor shipped
 * it, from exactly one of {@link #file}, {@link #url} and {@link #artifact}, and the package it
 * must be. The engine checks every value (see docs/prebuilt-packages.md).
 */
public class PrebuiltRpm {
    /** A file of the module, relative to its directory. */
    String file;

    /** A download URL; needs {@link #sha512}. Fetched like an external source (mirrors, cache, proxy). */
    String url;

    /** SHA-512 of the file, 128 hex digits: required with {@link #url}, checked when given otherwise. */
    String sha512;

    /** The name of a downloaded file in the source cache; default: the URL's last path segment. */
    String fileName;

    /** The size of a downloaded file in bytes, if known: the download stops as soon as it brings more. */
    Long size;

    /** The settings.xml {@code <server>} whose credentials the download from {@link #url} uses. */
    String serverId;

    /** A Maven artifact: {@code groupId:artifactId:version[:extension[:classifier]]}, extension rpm by default. */
    String artifact;

    /** The package name the RPM must have. */
    String name;

    /** The epoch the RPM must have; default 0. */
    Long epoch;

    /** The version the RPM must have. */
    String version;

    /** The release the RPM must have. */
    String release;

    PrebuiltDeclaration.Declared declared() {
        return new PrebuiltDeclaration.Declared(file, url, sha512, fileName, size, serverId, artifact, name, epoch,
                version, release);
    }
}
