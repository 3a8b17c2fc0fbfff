package dev.twoliter.maven;

import dev.twoliter.engine.BuildTimestamp;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.rpm.RpmBuild;
import dev.twoliter.engine.rpm.RpmBuildRequest;
import dev.twoliter.engine.rpm.RpmBuildResult;
import dev.twoliter.engine.source.SourceCache;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Builds the RPMs of an {@code rpm} module with rpmbuild inside the SDK container and makes a tar of
 * them the module's artifact. Skips the container entirely when no input changed.
 */
@Mojo(name = "rpm", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class RpmMojo extends AbstractMojo {
    static final Set<String> ARCHES = Set.of("x86_64", "aarch64");

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    /** The spec file. */
    @Parameter(defaultValue = "${project.basedir}/${project.artifactId}.spec", required = true)
    private File spec;

    /** Source files fetched by digest (url, sha512, optional fileName and forceUpstream). */
    @Parameter
    private List<ExternalSource> externalSources = List.of();

    /** Lookaside mirrors tried in order before an external source's own URL: {@code <mirror>/<name>/<sha512>/<name>}. */
    @Parameter(property = "twoliter.lookasideMirrors")
    private List<String> lookasideMirrors = List.of();

    /** Fetch external sources from their upstream URL when no mirror has them. */
    @Parameter(property = "twoliter.upstreamFallback", defaultValue = "true")
    private boolean upstreamFallback;

    /** Shared cache of external sources, keyed by digest. */
    @Parameter(property = "twoliter.sourceCache", defaultValue = "${user.home}/.cache/twoliter/sources")
    private File sourceCache;

    /** The SDK image, by reference; it must be present locally unless {@link #pullSdk} is set. */
    @Parameter(property = "twoliter.sdkImage", defaultValue = "twoliter-sdk:0.1.0")
    private String sdkImage;

    /** Pull the SDK image if it is not present locally. Off by default: nothing is pulled unasked. */
    @Parameter(property = "twoliter.pullSdk", defaultValue = "false")
    private boolean pullSdk;

    /** Docker engine to use; default DOCKER_HOST, else the local socket. */
    @Parameter(property = "twoliter.dockerHost")
    private String dockerHost;

    /** Target architecture: x86_64 or aarch64. */
    @Parameter(property = "twoliter.arch", defaultValue = "x86_64")
    private String arch;

    /** Extra RPM macros for this build, name to value. */
    @Parameter
    private Map<String, String> defines = Map.of();

    /** Build even if the inputs did not change since the last build. */
    @Parameter(property = "twoliter.force", defaultValue = "false")
    private boolean force;

    /** Minutes after which a build step is stopped. */
    @Parameter(property = "twoliter.buildTimeoutMinutes", defaultValue = "60")
    private int buildTimeoutMinutes;

    /** Time stamped into the RPMs; falls back to SOURCE_DATE_EPOCH, then the spec's %changelog. */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    private String outputTimestamp;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        String module = project.getGroupId() + ":" + project.getArtifactId();
        if (!ARCHES.contains(arch)) {
            throw new MojoFailureException(module + ": unsupported arch '" + arch + "' (use x86_64 or aarch64)");
        }
        MavenBuildLog log = new MavenBuildLog(getLog());
        try {
            SourceCache cache = new SourceCache(sourceCache.toPath(), lookasideMirrors, upstreamFallback,
                    session.isOffline(), log);
            RpmBuildResult result = new RpmBuild(log, cache).run(request(module));
            project.getArtifact().setFile(result.archive().toFile());
            log.info(module + ": " + result.rpms().size() + " RPM(s) in " + rpmDir());
        } catch (TwoliterException | IOException e) {
            Exception mapped = MojoErrors.map(e);
            if (mapped instanceof MojoFailureException f) {
                throw f;
            }
            throw (MojoExecutionException) mapped;
        }
    }

    private RpmBuildRequest request(String module) throws TwoliterException {
        Path target = Path.of(project.getBuild().getDirectory());
        List<Path> dependencies = project.getArtifacts().stream()
                .filter(a -> "rpm".equals(a.getType()))
                .map(Artifact::getFile)
                .filter(java.util.Objects::nonNull)
                .map(File::toPath)
                .toList();
        return new RpmBuildRequest(module, project.getBasedir().toPath(), spec.toPath(), List.of(target),
                externalSources.stream().map(ExternalSource::toEngine).toList(), dependencies, arch, sdkImage, pullSdk,
                dockerHost, BuildTimestamp.resolve(outputTimestamp, System.getenv("SOURCE_DATE_EPOCH")), defines,
                rpmDir(), target.resolve("twoliter"),
                target.resolve(project.getBuild().getFinalName() + "." + project.getArtifact().getArtifactHandler()
                        .getExtension()),
                Duration.ofMinutes(buildTimeoutMinutes), force, plugin.getVersion());
    }

    private Path rpmDir() {
        return Path.of(project.getBuild().getDirectory(), "rpms");
    }
}
