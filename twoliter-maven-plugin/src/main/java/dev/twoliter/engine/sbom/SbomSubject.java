package dev.twoliter.engine.sbom;

import dev.twoliter.engine.Syntax;
import java.time.Instant;

/**
 * What an SBOM describes: a kit or a variant, by its Maven coordinates and arch, and who made the
 * SBOM when. The time is the build's ({@code project.build.outputTimestamp} or SOURCE_DATE_EPOCH),
 * never the clock's, so that the same build writes the same bytes.
 *
 * @param toolName name of the tool that writes the SBOM, e.g. {@code twoliter-maven-plugin}
 * @param toolVersion its version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param timestamp the documents' creation time; written to the second (both formats say seconds)
 */
public record SbomSubject(Kind kind, String groupId, String artifactId, String version, String arch, String toolName,
        String toolVersion, Instant timestamp) {

    /** What was built. */
    public enum Kind {
        KIT, VARIANT
    }

    /** Both formats write four-digit years. */
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public SbomSubject {
        if (kind == null) {
            throw new SbomInputException("SBOM subject without a kind (kit or variant)");
        }
        String what = "SBOM subject " + Syntax.show(groupId) + ":" + Syntax.show(artifactId) + ":" + Syntax.show(version);
        if (!Syntax.isMavenId(groupId)) {
            throw new SbomInputException(what + ": groupId " + Syntax.show(groupId) + " is not a Maven id");
        }
        if (!Syntax.isMavenId(artifactId)) {
            throw new SbomInputException(what + ": artifactId " + Syntax.show(artifactId) + " is not a Maven id");
        }
        if (!Syntax.isMavenVersion(version)) {
            throw new SbomInputException(what + ": version " + Syntax.show(version) + " is not a Maven version");
        }
        if (!Syntax.isArch(arch)) {
            throw new SbomInputException(what + ": arch " + Syntax.show(arch) + " is not an architecture name");
        }
        if (!Syntax.isMavenId(toolName)) {
            throw new SbomInputException(what + ": tool name " + Syntax.show(toolName)
                    + " is not a plain name (letters, digits, '.', '_', '-')");
        }
        if (!Syntax.isMavenVersion(toolVersion)) {
            throw new SbomInputException(what + ": tool version " + Syntax.show(toolVersion) + " is not a version");
        }
        if (timestamp == null || timestamp.isBefore(EARLIEST) || timestamp.isAfter(LATEST)) {
            throw new SbomInputException(what + ": timestamp " + timestamp + " is not between " + EARLIEST + " and "
                    + LATEST);
        }
    }

    /** {@code groupId:artifactId:version}. */
    public String coordinates() {
        return groupId + ":" + artifactId + ":" + version;
    }
}
