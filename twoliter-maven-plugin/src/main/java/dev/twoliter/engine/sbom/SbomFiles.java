package dev.twoliter.engine.sbom;

import java.nio.file.Path;

/** The two files {@link Sboms#write} wrote. */
public record SbomFiles(Path spdx, Path cycloneDx) {}
