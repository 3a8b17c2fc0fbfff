package dev.twoliter.maven;

import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** The {@code kit} packaging's package step: not available in this version. */
@Mojo(name = "kit", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class KitMojo extends NotYetBuiltMojo {
    @Override
    public void execute() throws MojoFailureException {
        refuse("kit");
    }
}
