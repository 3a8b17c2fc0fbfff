package dev.twoliter.engine.rpm;

import java.nio.file.Path;
import java.util.List;

/**
 * The RPMs of a module for one arch, their archive and the list of sources they were built from;
 * {@code upToDate} if nothing had to be built.
 */
public record RpmBuildResult(List<Path> rpms, Path archive, Path sources, boolean upToDate) {}
