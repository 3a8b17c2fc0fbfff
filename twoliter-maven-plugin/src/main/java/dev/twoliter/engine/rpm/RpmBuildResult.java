package dev.twoliter.engine.rpm;

import java.nio.file.Path;
import java.util.List;

/** The RPMs of a module and their archive; {@code upToDate} if nothing had to be built. */
public record RpmBuildResult(List<Path> rpms, Path archive, boolean upToDate) {}
