package dev.twoliter.engine.kit;

import java.nio.file.Path;
import java.util.List;

/**
 * The kit's manifest, its payload for the built arch and the payload's SBOMs (SPDX, then
 * CycloneDX); {@code upToDate} if nothing was built.
 */
public record KitBuildResult(Path manifest, Path payload, String arch, List<Path> sboms, boolean upToDate) {}
