package dev.twoliter.maven;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.TwoliterException;
import java.io.IOException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * Maps engine failures onto Maven's two kinds: a broken environment (Docker, SDK image, I/O) is an
 * execution error; a problem in the project's inputs is a build failure. Messages pass unchanged.
 */
final class MojoErrors {
    private MojoErrors() {}

    static Exception map(Exception e) {
        if (e instanceof BuildEnvironmentException) {
            return new MojoExecutionException(e.getMessage(), e);
        }
        if (e instanceof TwoliterException) {
            return new MojoFailureException(e.getMessage(), e);
        }
        if (e instanceof IOException) {
            return new MojoExecutionException("I/O error: " + e.getMessage(), e);
        }
        return new MojoExecutionException(e.toString(), e);
    }
}
