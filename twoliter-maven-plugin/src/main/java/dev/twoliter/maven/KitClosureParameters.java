package dev.twoliter.maven;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.closure.ClosurePolicy;
import dev.twoliter.engine.closure.ExceptedRequirement;
import dev.twoliter.engine.kit.KitCache;
import dev.twoliter.engine.kit.KitClosure;
import dev.twoliter.engine.kit.KitCoordinates;
import dev.twoliter.engine.kit.KitException;
import dev.twoliter.engine.kit.KitsInUse;
import dev.twoliter.engine.kit.ResolvedKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;

/**
 * The kit closure check's settings as the POM gives them: the policy, the exceptions, and the base,
 * which is every {@code kit} dependency of scope {@code provided} (resolved and checked against
 * like a dependency, but not recorded as one: the variant brings it).
 */
final class KitClosureParameters {
    private final ClosurePolicy policy;
    private final List<ExceptedRequirement> exceptions;
    private final Set<KitCoordinates> base;
    private final MavenProject project;
    private final MavenSession session;

    KitClosureParameters(String policy, List<ClosureException> exceptions, MavenProject project, MavenSession session)
            throws KitException {
        String module = project.getGroupId() + ":" + project.getArtifactId();
        this.policy = ClosurePolicy.parse(policy).orElseThrow(() -> new KitException(module + ": "
                + ClosurePolicy.refusal("twoliter.closure (<closure>)", policy)));
        this.exceptions = ClosureException.parse(exceptions, module);
        this.base = project.getDependencies().stream()
                .filter(d -> MavenKits.TYPE.equals(d.getType()) && Artifact.SCOPE_PROVIDED.equals(d.getScope()))
                .map(d -> new KitCoordinates(d.getGroupId(), d.getArtifactId(), d.getVersion()))
                .collect(Collectors.toUnmodifiableSet());
        this.project = project;
        this.session = session;
    }

    /** The check's request for one arch: fetches and unpacks the graph's payloads unless the check is off. */
    KitClosure forArch(List<ResolvedKit> graph, Arch arch, MavenKits kits, KitCache cache, BuildLog log)
            throws KitException, IOException {
        if (policy == ClosurePolicy.SKIP) {
            return new KitClosure(policy, List.of(), base, exceptions, Map.of());
        }
        return new KitClosure(policy, KitsInUse.repositories(graph, kits, cache, arch.rpmName(), log), base, exceptions,
                reactorKits(graph, arch));
    }

    /**
     * Kits of this build that are not in the kit's graph and already have a payload for the arch:
     * where a suggestion for an unmet requirement can come from without asking any server.
     */
    private Map<String, Path> reactorKits(List<ResolvedKit> graph, Arch arch) {
        Set<String> inGraph = graph.stream().map(k -> k.coordinates().key()).collect(Collectors.toSet());
        Map<String, Path> kits = new TreeMap<>();
        for (MavenProject other : List.copyOf(session.getProjects())) {
            String key = other.getGroupId() + ":" + other.getArtifactId();
            if (other == project || !MavenKits.TYPE.equals(other.getPackaging()) || inGraph.contains(key)) {
                continue;
            }
            for (Artifact attached : List.copyOf(other.getAttachedArtifacts())) {
                if (arch.rpmName().equals(attached.getClassifier()) && MavenKits.PAYLOAD_EXTENSION.equals(
                        attached.getType()) && attached.getFile() != null && Files.isRegularFile(attached.getFile()
                        .toPath())) {
                    kits.put("kit " + key + ":" + other.getVersion() + " (this build)", attached.getFile().toPath());
                }
            }
        }
        return kits;
    }
}
