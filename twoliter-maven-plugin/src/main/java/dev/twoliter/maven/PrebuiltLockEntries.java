package dev.twoliter.maven;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.kit.LockFile;
import dev.twoliter.engine.prebuilt.PrebuiltDeclaration;
import dev.twoliter.engine.prebuilt.PrebuiltException;
import dev.twoliter.engine.prebuilt.PrebuiltFetch;
import dev.twoliter.engine.prebuilt.PrebuiltOrigin;
import dev.twoliter.engine.prebuilt.PrebuiltPins;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.eclipse.aether.RepositorySystem;

/**
 * What {@code twoliter:update} pins of the reactor's prebuilt RPMs: each download by the SHA-512
 * its POM declares, each Maven artifact by the SHA-512 of the file resolved now.
 */
final class PrebuiltLockEntries {
    private static final String PLUGIN = "twoliter-maven-plugin";

    private PrebuiltLockEntries() {}

    static List<LockFile.PrebuiltPin> of(MavenSession session, RepositorySystem system,
            dev.twoliter.engine.net.NetworkLimits limits)
            throws TwoliterException, IOException {
        List<LockFile.PrebuiltPin> pins = new ArrayList<>();
        for (MavenProject project : session.getProjects()) {
            List<PrebuiltDeclaration.Declared> declared = declared(project);
            if (declared.isEmpty()) {
                continue;
            }
            String module = project.getGroupId() + ":" + project.getArtifactId();
            MavenKits resolver = null;
            for (PrebuiltDeclaration d : PrebuiltDeclaration.validate(module, declared, MavenTerms.INSTANCE)) {
                if (d.origin() instanceof PrebuiltOrigin.Artifact artifact) {
                    resolver = resolver != null ? resolver : new MavenKits(system, session, project, limits);
                    Path file = resolver.prebuiltRpm(artifact, PrebuiltFetch.MAX_RPM_BYTES);
                    String sha512 = Digests.sha512(file);
                    if (d.sha512().isPresent() && !d.sha512().get().equals(sha512)) {
                        throw new PrebuiltException(module + ": prebuilt RPM " + artifact.describe() + " (" + file
                                + ") has the sha512 " + sha512 + ", but its <sha512> is " + d.sha512().get()
                                + "; nothing was locked. Check the artifact and fix <sha512> or the coordinates.");
                    }
                    PrebuiltPins.of(module, d, sha512).ifPresent(pins::add);
                } else {
                    d.sha512().flatMap(sha512 -> PrebuiltPins.of(module, d, sha512)).ifPresent(pins::add);
                }
            }
        }
        return pins;
    }

    /** The module's {@code <prebuiltRpms>} as its POM writes them (plugin-level configuration). */
    private static List<PrebuiltDeclaration.Declared> declared(MavenProject project) throws TwoliterException {
        if (!"rpm".equals(project.getPackaging())) {
            return List.of();
        }
        List<PrebuiltDeclaration.Declared> declared = new ArrayList<>();
        for (Plugin plugin : project.getBuildPlugins()) {
            if (!PLUGIN.equals(plugin.getArtifactId()) || !(plugin.getConfiguration() instanceof Xpp3Dom config)
                    || config.getChild("prebuiltRpms") == null) {
                continue;
            }
            for (Xpp3Dom entry : config.getChild("prebuiltRpms").getChildren()) {
                declared.add(new PrebuiltDeclaration.Declared(text(entry, "file"), text(entry, "url"),
                        text(entry, "sha512"), text(entry, "fileName"), number(project, entry, "size"),
                        text(entry, "serverId"), text(entry, "artifact"), text(entry, "name"),
                        number(project, entry, "epoch"), text(entry, "version"), text(entry, "release")));
            }
        }
        return declared;
    }

    private static String text(Xpp3Dom entry, String name) {
        Xpp3Dom child = entry.getChild(name);
        return child == null || child.getValue() == null ? null : child.getValue().strip();
    }

    private static Long number(MavenProject project, Xpp3Dom entry, String name) throws TwoliterException {
        String value = text(entry, name);
        if (value == null) {
            return null;
        }
        try {
            return Long.valueOf(value);
        } catch (NumberFormatException e) {
            throw new TwoliterException(project.getGroupId() + ":" + project.getArtifactId() + ": <" + name + "> of a"
                    + " <prebuiltRpm> is " + dev.twoliter.engine.Syntax.show(value) + ", not a whole number.");
        }
    }
}
