package dev.twoliter.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Packagings whose build this version of the plugin does not have yet. They are declared so that
 * projects and their dependencies resolve, and fail with a plain statement instead of producing
 * an artifact that only looks right.
 */
abstract class NotYetBuiltMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    void refuse(String packaging) throws MojoFailureException {
        throw new MojoFailureException(project.getGroupId() + ":" + project.getArtifactId() + ": the '" + packaging
                + "' packaging is declared by twoliter-maven-plugin " + plugin.getVersion()
                + " but cannot be built by it yet.");
    }
}
