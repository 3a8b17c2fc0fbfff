package dev.twoliter.maven;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.kit.KitsInUse;
import dev.twoliter.engine.rpm.RpmBuild;
import dev.twoliter.engine.rpm.RpmBuildRequest;
import dev.twoliter.engine.rpm.RpmBuildResult;
import dev.twoliter.engine.source.HttpProxy;
import dev.twoliter.engine.source.SourceCache;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Builds the RPMs of an {@code rpm} module with rpmbuild inside the SDK container and makes a tar of
 * them the module's artifact. Skips the container entirely when no input changed.
 */
@Mojo(name = "rpm", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class RpmMojo extends AbstractTwoliterMojo {
    /** The spec file. */
    @Parameter(defaultValue = "${project.basedir}/${project.artifactId}.spec", required = true)
    private File spec;

    /** Source files fetched by digest (url, sha512, optional fileName and forceUpstream). */
    @Parameter
    private List<ExternalSource> externalSources = List.of();

    /** Lookaside mirrors tried in order before an external source's own URL, as mirror/fileName/sha512/fileName. */
    @Parameter(property = "twoliter.lookasideMirrors")
    private List<String> lookasideMirrors = List.of();

    /** Fetch external sources from their upstream URL when no mirror has them. */
    @Parameter(property = "twoliter.upstreamFallback", defaultValue = "true")
    private boolean upstreamFallback;

    /** Shared cache of external sources, keyed by digest. */
    @Parameter(property = "twoliter.sourceCache", defaultValue = "${user.home}/.cache/twoliter/sources")
    private File sourceCache;

    @Component
    private SettingsDecrypter settingsDecrypter;

    /** Extra RPM macros for this build, name to value. */
    @Parameter
    private Map<String, String> defines = Map.of();

    @Override
    void build(BuildLog log) throws TwoliterException, IOException {
        MavenKits kits = kits();
        List<KitRepository> kitRepositories = KitsInUse.repositories(kitGraph(kits, log), kits, kitCache(), arch, log);
        SourceCache cache = new SourceCache(sourceCache.toPath(), lookasideMirrors, upstreamFallback,
                session.isOffline(), proxy(), networkLimits(), MavenServers.credentials(session, settingsDecrypter), log);
        RpmBuildResult result = new RpmBuild(log, cache).run(request(kitRepositories));
        project.getArtifact().setFile(result.archive().toFile());
        log.info(module() + ": " + result.rpms().size() + " RPM(s) in " + rpmDir());
    }

    private RpmBuildRequest request(List<KitRepository> kitRepositories) throws TwoliterException {
        List<Path> dependencies = project.getArtifacts().stream()
                .filter(a -> "rpm".equals(a.getType()))
                .map(Artifact::getFile)
                .filter(java.util.Objects::nonNull)
                .map(File::toPath)
                .toList();
        Path target = targetDir();
        // The caches may be configured inside the module; their files are not the module's sources.
        return new RpmBuildRequest(module(), project.getBasedir().toPath(), spec.toPath(),
                List.of(target, sourceCache.toPath(), kitCache.toPath()),
                externalSources.stream().map(ExternalSource::toEngine).toList(), dependencies, kitRepositories, arch,
                sdkImage, pullSdk, dockerHost, buildTimestamp(), defines, rpmDir(), target.resolve("twoliter"),
                target.resolve(project.getBuild().getFinalName() + "." + project.getArtifact().getArtifactHandler()
                        .getExtension()),
                timeout(), force, plugin.getVersion());
    }

    /** The active http proxy of settings.xml, as Maven itself would use it. */
    private HttpProxy proxy() {
        Proxy p = session.getSettings() == null ? null : session.getSettings().getActiveProxy();
        if (p == null || !"http".equalsIgnoreCase(p.getProtocol())) {
            return null;
        }
        return new HttpProxy(p.getHost(), p.getPort(), p.getUsername(), p.getPassword(), p.getNonProxyHosts());
    }

    private Path rpmDir() {
        return targetDir().resolve("rpms");
    }
}
