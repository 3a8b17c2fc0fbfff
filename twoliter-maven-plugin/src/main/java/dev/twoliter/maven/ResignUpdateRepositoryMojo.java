package dev.twoliter.maven;

import dev.twoliter.engine.update.RepositoryMaintenance;
import java.time.Instant;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Re-signs the variant's update repository: new targets, snapshot and timestamp versions with new
 * expiry times, the targets unchanged. Run it (from a scheduled job) more often than the timestamp
 * expires when no version is published in between; clients refuse an expired timestamp.
 */
@Mojo(name = "resign-update-repository", threadSafe = true)
public class ResignUpdateRepositoryMojo extends UpdateRepositoryParameters {
    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        forEachArch("update-resign", (module, target, targets, work) -> {
            List<String> written = RepositoryMaintenance.resign(new RepositoryMaintenance.Request(layout(target),
                    trustedRoot(module), roleKeys(module), expirations(), Instant.now(), work,
                    new MavenBuildLog(getLog())), store());
            getLog().info(module + ": re-signed the update repository: " + String.join(", ", written));
        });
    }
}
