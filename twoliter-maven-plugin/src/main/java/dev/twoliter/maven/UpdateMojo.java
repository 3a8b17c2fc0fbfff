package dev.twoliter.maven;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.kit.KitGraph;
import dev.twoliter.engine.kit.KitRoot;
import dev.twoliter.engine.kit.LockFile;
import dev.twoliter.engine.kit.ResolvedKit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;

/**
 * Writes {@code twoliter.lock} at the project root: every kit of every module's graph that comes
 * from a repository (direct and transitive), with the digests of its manifest and payloads. Run it
 * from the project root after changing kit versions; builds then check kits against it offline.
 */
@Mojo(name = "update", aggregator = true, threadSafe = true)
public class UpdateMojo extends KitParameters {
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Component
    private RepositorySystem repositorySystem;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Set<String> own = MavenKits.ownKitIds(session);
        List<KitRoot> roots = new ArrayList<>();
        MavenKits source = null;
        try {
            for (MavenProject project : session.getProjects()) {
                MavenKits kits = new MavenKits(repositorySystem, session, project, networkLimits());
                source = source == null ? kits : source;
                // The project's own kits are built, not locked; their dependencies are roots of their own module.
                kits.roots().stream().filter(r -> !own.contains(r.coordinates().toString())).forEach(roots::add);
            }
            Path lockFile = MavenKits.lockFile(session.getTopLevelProject());
            List<ResolvedKit> kits = roots.isEmpty() ? List.of() : KitGraph.resolve("the project", roots, source,
                    kitVerifier(session, session.getTopLevelProject(), source, own, new MavenBuildLog(getLog())));
            List<LockFile.PrebuiltPin> prebuilt = PrebuiltLockEntries.of(session, repositorySystem, networkLimits());
            LockFile.of(kits, prebuilt).write(lockFile, MavenTerms.INSTANCE);
            getLog().info("Wrote " + lockFile + " with " + kits.size() + " kit(s)" + (prebuilt.isEmpty() ? ""
                    : " and " + prebuilt.size() + " prebuilt RPM(s)"));
            kits.forEach(k -> getLog().info("  " + k.coordinates() + "  manifest sha256 " + k.manifestSha256()
                    + k.signature().signer().map(s -> ", signed by " + s).orElse("")));
            prebuilt.forEach(p -> getLog().info("  " + p.module() + ": " + p.origin() + "  sha512 "
                    + p.sha512().substring(0, 16) + "…"));
        } catch (TwoliterException | IOException e) {
            Exception mapped = MojoErrors.map(e);
            if (mapped instanceof MojoFailureException f) {
                throw f;
            }
            throw (MojoExecutionException) mapped;
        }
    }
}
