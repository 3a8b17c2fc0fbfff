package dev.twoliter.maven;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.kit.KitBuild;
import dev.twoliter.engine.kit.KitBuildRequest;
import dev.twoliter.engine.kit.KitBuildResult;
import dev.twoliter.engine.kit.KitCoordinates;
import dev.twoliter.engine.kit.KitException;
import dev.twoliter.engine.kit.ResolvedKit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Builds a {@code kit}: a yum repository of the RPMs of the module's rpm dependencies (their
 * transitive closure, stopping at other kits) as a per-arch payload, plus the manifest that is the
 * module's artifact.
 */
@Mojo(name = "kit", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class KitMojo extends AbstractTwoliterMojo {
    @Component
    private MavenProjectHelper projectHelper;

    @Override
    void build(BuildLog log) throws TwoliterException, IOException {
        List<ResolvedKit> graph = kitGraph(kits(), log);
        KitBuildResult result = new KitBuild(log).run(request(graph));
        project.getArtifact().setFile(result.manifest().toFile());
        projectHelper.attachArtifact(project, MavenKits.PAYLOAD_EXTENSION, result.arch(), result.payload().toFile());
        log.info(module() + ": kit manifest " + result.manifest().getFileName() + ", " + result.arch() + " payload "
                + result.payload().getFileName());
    }

    private KitBuildRequest request(List<ResolvedKit> graph) throws TwoliterException {
        Path target = targetDir();
        String base = project.getBuild().getFinalName();
        return new KitBuildRequest(new KitCoordinates(project.getGroupId(), project.getArtifactId(), project.getVersion()),
                packages(), directKitDependencies(), graph, arch, sdkImage, pullSdk, dockerHost, buildTimestamp(),
                target.resolve("twoliter"), target.resolve(base + "." + MavenKits.MANIFEST_EXTENSION),
                target.resolve(base + "-" + arch + "." + MavenKits.PAYLOAD_EXTENSION), timeout(), force,
                plugin.getVersion());
    }

    /** Maven does not traverse kits (their handler includes their dependencies), so this closure stops at them. */
    private Map<String, Path> packages() throws KitException {
        Map<String, Path> packages = new TreeMap<>();
        for (Artifact a : project.getArtifacts()) {
            if (!"rpm".equals(a.getType()) || a.getFile() == null) {
                continue;
            }
            Path other = packages.put(a.getArtifactId(), a.getFile().toPath());
            if (other != null) {
                throw new KitException(module() + ": two rpm dependencies are named " + a.getArtifactId()
                        + " (" + other + ", " + a.getFile() + "); a kit lays packages out by name.");
            }
        }
        return packages;
    }

    private List<KitCoordinates> directKitDependencies() {
        return project.getDependencies().stream().filter(d -> MavenKits.TYPE.equals(d.getType()))
                .map(d -> new KitCoordinates(d.getGroupId(), d.getArtifactId(), d.getVersion())).sorted().toList();
    }
}
