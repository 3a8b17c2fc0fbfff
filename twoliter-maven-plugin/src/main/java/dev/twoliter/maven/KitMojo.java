package dev.twoliter.maven;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.kit.KitBuild;
import dev.twoliter.engine.kit.KitBuildRequest;
import dev.twoliter.engine.kit.KitBuildResult;
import dev.twoliter.engine.kit.ResolvedKit;
import java.io.IOException;
import java.util.List;
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
    void build(Context context) throws TwoliterException, IOException {
        KitBuildResult result = context.runner().run(new KitBuild(request(context, kitGraph(kits(), context))));
        project.getArtifact().setFile(result.manifest().toFile());
        projectHelper.attachArtifact(project, MavenKits.PAYLOAD_EXTENSION, result.arch(), result.payload().toFile());
        context.log().info(context.facts().module() + ": kit manifest " + result.manifest().getFileName() + ", "
                + result.arch() + " payload " + result.payload().getFileName());
    }

    private KitBuildRequest request(Context context, List<ResolvedKit> graph) throws TwoliterException {
        MavenProjectFacts facts = context.facts();
        String base = facts.finalName();
        return new KitBuildRequest(facts.coordinates(), facts.rpmArtifactsByName(), facts.directKitDependencies(),
                graph, context.arch(), sdkImage, pullSdk, buildTimestamp(), facts.workDir(),
                facts.targetDir().resolve(base + "." + MavenKits.MANIFEST_EXTENSION),
                facts.targetDir().resolve(base + "-" + context.arch() + "." + MavenKits.PAYLOAD_EXTENSION), timeout(),
                force, plugin.getVersion(), MavenTerms.INSTANCE);
    }
}
