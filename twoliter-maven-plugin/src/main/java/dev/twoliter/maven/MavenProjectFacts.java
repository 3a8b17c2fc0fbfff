package dev.twoliter.maven;

import dev.twoliter.engine.BuildTimestamp;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.kit.KitCoordinates;
import dev.twoliter.engine.kit.KitException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.project.MavenProject;

/**
 * The one place that reads what the engine needs to know about a module from Maven's project model:
 * its identity, its rpm and kit dependencies, its build directory and its build timestamp.
 */
final class MavenProjectFacts {
    static final String RPM_TYPE = "rpm";

    private final MavenProject project;

    MavenProjectFacts(MavenProject project) {
        this.project = project;
    }

    /** {@code groupId:artifactId}, for every message. */
    String module() {
        return project.getGroupId() + ":" + project.getArtifactId();
    }

    KitCoordinates coordinates() {
        return new KitCoordinates(project.getGroupId(), project.getArtifactId(), project.getVersion());
    }

    Path baseDir() {
        return project.getBasedir().toPath();
    }

    Path targetDir() {
        return Path.of(project.getBuild().getDirectory());
    }

    /** The plugin's own state and logs for this module. */
    Path workDir() {
        return targetDir().resolve("twoliter");
    }

    String finalName() {
        return project.getBuild().getFinalName();
    }

    /** The module's main artifact file in the build directory, with its packaging's extension. */
    Path artifactFile() {
        return targetDir().resolve(finalName() + "." + project.getArtifact().getArtifactHandler().getExtension());
    }

    /** The time stamped into outputs: project.build.outputTimestamp, else SOURCE_DATE_EPOCH. */
    static Optional<Instant> buildTimestamp(String outputTimestamp) throws TwoliterException {
        return BuildTimestamp.resolve(outputTimestamp, System.getenv("SOURCE_DATE_EPOCH"));
    }

    /** The artifacts of the resolved rpm dependencies (direct and transitive, not crossing kits). */
    List<Path> rpmArtifacts() {
        return project.getArtifacts().stream().filter(a -> RPM_TYPE.equals(a.getType()) && a.getFile() != null)
                .map(a -> a.getFile().toPath()).toList();
    }

    /** The rpm dependencies by {@code groupId:artifactId}. */
    Map<String, Path> rpmArtifactsByModule() {
        Map<String, Path> byModule = new TreeMap<>();
        for (Artifact a : project.getArtifacts()) {
            if (RPM_TYPE.equals(a.getType()) && a.getFile() != null) {
                byModule.put(a.getGroupId() + ":" + a.getArtifactId(), a.getFile().toPath());
            }
        }
        return byModule;
    }

    /** The rpm dependencies by artifactId, which must be unique (a kit lays packages out by name). */
    Map<String, Path> rpmArtifactsByName() throws KitException {
        Map<String, Path> byName = new TreeMap<>();
        for (Artifact a : project.getArtifacts()) {
            if (!RPM_TYPE.equals(a.getType()) || a.getFile() == null) {
                continue;
            }
            Path other = byName.put(a.getArtifactId(), a.getFile().toPath());
            if (other != null) {
                throw new KitException(module() + ": two rpm dependencies are named " + a.getArtifactId()
                        + " (" + other + ", " + a.getFile() + "); a kit lays packages out by name.");
            }
        }
        return byName;
    }

    /** The kits the module declares directly. */
    List<KitCoordinates> directKitDependencies() {
        return project.getDependencies().stream().filter(d -> MavenKits.TYPE.equals(d.getType()))
                .map(d -> new KitCoordinates(d.getGroupId(), d.getArtifactId(), d.getVersion())).sorted().toList();
    }
}
