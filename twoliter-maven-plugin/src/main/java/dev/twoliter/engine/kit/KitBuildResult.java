package dev.twoliter.engine.kit;

import java.nio.file.Path;

/** The kit's manifest and its payload for the built arch; {@code upToDate} if nothing was built. */
public record KitBuildResult(Path manifest, Path payload, String arch, boolean upToDate) {}
