package dev.twoliter.maven;

import dev.twoliter.engine.kit.KitCoordinates;
import dev.twoliter.engine.kit.KitException;
import dev.twoliter.engine.kit.KitRoot;
import dev.twoliter.engine.kit.KitSource;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.maven.RepositoryUtils;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.ArtifactTypeRegistry;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.collection.DependencyCollectionException;
import org.eclipse.aether.graph.DependencyNode;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Kits as Maven sees them: found in the module's dependency graph, resolved through Maven
 * Resolver (reactor, local repository, remote repositories with settings.xml mirrors, credentials
 * and offline mode), and identified as the project's own when a module of this project builds them.
 */
final class MavenKits implements KitSource {
    static final String TYPE = "kit";
    static final String MANIFEST_EXTENSION = "kit.toml";
    static final String PAYLOAD_EXTENSION = "tar";

    private final RepositorySystem system;
    private final MavenSession session;
    private final MavenProject project;

    MavenKits(RepositorySystem system, MavenSession session, MavenProject project) {
        this.system = system;
        this.session = session;
        this.project = project;
    }

    /**
     * The kits in the module's dependency graph, before Maven's version mediation, so that two
     * versions of one kit are both seen. Kits are not traversed (their packages are in their
     * payloads); kit-to-kit edges come from the kits' manifests.
     */
    List<KitRoot> roots() throws KitException {
        DefaultRepositorySystemSession unmediated = new DefaultRepositorySystemSession(session.getRepositorySession());
        unmediated.setDependencyGraphTransformer(null);
        ArtifactTypeRegistry types = unmediated.getArtifactTypeRegistry();
        CollectRequest request = new CollectRequest();
        request.setRootArtifact(RepositoryUtils.toArtifact(project.getArtifact()));
        project.getDependencies().forEach(d -> request.addDependency(RepositoryUtils.toDependency(d, types)));
        if (project.getDependencyManagement() != null) {
            project.getDependencyManagement().getDependencies()
                    .forEach(d -> request.addManagedDependency(RepositoryUtils.toDependency(d, types)));
        }
        request.setRepositories(project.getRemoteProjectRepositories());
        DependencyNode root;
        try {
            root = system.collectDependencies(unmediated, request).getRoot();
        } catch (DependencyCollectionException e) {
            throw new KitException(module() + ": cannot read its dependency graph: " + e.getMessage(), e);
        }
        List<KitRoot> roots = new ArrayList<>();
        collect(root, List.of(project.getGroupId() + ":" + project.getArtifactId() + ":" + project.getVersion()), roots);
        return roots;
    }

    private static void collect(DependencyNode node, List<String> path, List<KitRoot> roots) {
        for (DependencyNode child : node.getChildren()) {
            if (child.getDependency() == null || "test".equals(child.getDependency().getScope())) {
                continue;
            }
            Artifact a = child.getArtifact();
            List<String> childPath = new ArrayList<>(path);
            childPath.add(a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getVersion());
            if (TYPE.equals(a.getProperty("type", a.getExtension()))) {
                roots.add(new KitRoot(new KitCoordinates(a.getGroupId(), a.getArtifactId(), a.getVersion()),
                        List.copyOf(childPath)));
            } else {
                collect(child, childPath, roots);
            }
        }
    }

    /** Kits built by a module of this project (also when -pl leaves that module out of the session). */
    static Set<String> ownKitIds(MavenSession session) {
        List<MavenProject> all = session.getAllProjects() != null ? session.getAllProjects() : session.getProjects();
        return all.stream().filter(p -> TYPE.equals(p.getPackaging()))
                .map(p -> p.getGroupId() + ":" + p.getArtifactId() + ":" + p.getVersion()).collect(Collectors.toSet());
    }

    @Override
    public Path manifest(KitCoordinates kit) throws KitException {
        return resolve(new DefaultArtifact(kit.groupId(), kit.artifactId(), "", MANIFEST_EXTENSION, kit.version()),
                kit, "manifest");
    }

    @Override
    public Path payload(KitCoordinates kit, String arch) throws KitException {
        return resolve(new DefaultArtifact(kit.groupId(), kit.artifactId(), arch, PAYLOAD_EXTENSION, kit.version()),
                kit, arch + " payload");
    }

    /** A bad payload in the local repository is only a bad copy of the remote: delete it. */
    @Override
    public void discardPayload(KitCoordinates kit, String arch) {
        File localRepository = session.getRepositorySession().getLocalRepository().getBasedir();
        String relative = session.getRepositorySession().getLocalRepositoryManager().getPathForLocalArtifact(
                new DefaultArtifact(kit.groupId(), kit.artifactId(), arch, PAYLOAD_EXTENSION, kit.version()));
        try {
            Files.deleteIfExists(localRepository.toPath().resolve(relative));
        } catch (IOException e) {
            // The next build verifies the file again anyway.
        }
    }

    private Path resolve(Artifact artifact, KitCoordinates kit, String what) throws KitException {
        try {
            return system.resolveArtifact(session.getRepositorySession(),
                    new ArtifactRequest(artifact, project.getRemoteProjectRepositories(), null)).getArtifact().getFile()
                    .toPath();
        } catch (ArtifactResolutionException e) {
            if (session.isOffline()) {
                throw new KitException(module() + ": the " + what + " of kit " + kit + " is not in the local repository"
                        + " and Maven runs offline (-o). Build once online to fetch it. (" + e.getMessage() + ")", e);
            }
            throw new KitException(module() + ": cannot resolve the " + what + " of kit " + kit + ": "
                    + e.getMessage(), e);
        }
    }

    private String module() {
        return project.getGroupId() + ":" + project.getArtifactId();
    }

    /**
     * twoliter.lock lives at the root of the project's source tree: the top-most parent that is part
     * of the checkout, whichever module Maven was started in.
     */
    static Path lockFile(MavenProject project) {
        MavenProject root = project;
        while (root.getParent() != null && root.getParent().getFile() != null) {
            root = root.getParent();
        }
        return root.getBasedir().toPath().resolve(dev.twoliter.engine.kit.LockFile.FILE_NAME);
    }
}
