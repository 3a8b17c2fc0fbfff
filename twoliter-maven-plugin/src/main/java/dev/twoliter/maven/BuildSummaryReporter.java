package dev.twoliter.maven;

import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.execution.MavenSession;
import org.codehaus.plexus.logging.Logger;

/**
 * Prints {@link BuildSummary}'s line once, at the end of a build that built modules with the
 * plugin. Registered in components.xml, so it runs when the plugin is a build extension.
 */
public class BuildSummaryReporter extends AbstractMavenLifecycleParticipant {
    /** Injected (components.xml). */
    private Logger logger;

    @Override
    public void afterSessionEnd(MavenSession session) {
        if (session.getRepositorySession() == null) {
            return;
        }
        BuildSummary.line(session.getRepositorySession().getData()).ifPresent(line -> logger.info(line));
    }
}
