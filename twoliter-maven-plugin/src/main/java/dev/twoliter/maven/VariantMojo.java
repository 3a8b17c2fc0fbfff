package dev.twoliter.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * The {@code variant} packaging's package step, which this version cannot build yet. The packaging
 * is declared so that projects and their dependencies resolve; building one fails with a plain
 * statement instead of producing an artifact that only looks right.
 */
@Mojo(name = "variant", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class VariantMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    @Override
    public void execute() throws MojoFailureException {
        throw new MojoFailureException(project.getGroupId() + ":" + project.getArtifactId() + ": the 'variant'"
                + " packaging is declared by twoliter-maven-plugin " + plugin.getVersion() + " but cannot be built"
                + " by it yet.");
    }
}
