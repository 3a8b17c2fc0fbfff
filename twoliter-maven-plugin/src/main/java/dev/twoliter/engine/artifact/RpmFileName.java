package dev.twoliter.engine.artifact;

import java.util.Optional;

/**
 * What rpmbuild's file names say: {@code <name>-<version>-<release>.<arch>.rpm}. Enough to sort a
 * module's RPMs by arch; whatever installs them still checks the arch in each package's header.
 */
public final class RpmFileName {
    public static final String NOARCH = "noarch";

    private RpmFileName() {}

    /** The arch part of an RPM file name, if it has the shape rpmbuild gives. */
    public static Optional<String> arch(String fileName) {
        if (!fileName.endsWith(".rpm")) {
            return Optional.empty();
        }
        String stem = fileName.substring(0, fileName.length() - ".rpm".length());
        int dot = stem.lastIndexOf('.');
        return dot <= 0 || dot == stem.length() - 1 ? Optional.empty() : Optional.of(stem.substring(dot + 1));
    }

    /** Whether a build for {@code arch} uses this RPM: one of that arch, or a noarch one. */
    public static boolean isFor(String fileName, String arch) {
        return arch(fileName).filter(a -> a.equals(arch) || a.equals(NOARCH)).isPresent();
    }
}
