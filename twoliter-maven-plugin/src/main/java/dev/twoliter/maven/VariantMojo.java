package dev.twoliter.maven;

import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** The {@code variant} packaging's package step: not available in this version. */
@Mojo(name = "variant", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class VariantMojo extends NotYetBuiltMojo {
    @Override
    public void execute() throws MojoFailureException {
        refuse("variant");
    }
}
