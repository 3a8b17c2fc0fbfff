package dev.twoliter.maven;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.kit.KitCoordinates;
import dev.twoliter.engine.kit.KitException;
import dev.twoliter.engine.kit.KitRoot;
import dev.twoliter.engine.kit.KitSource;
import dev.twoliter.engine.net.NetworkLimits;
import dev.twoliter.engine.net.Urls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.eclipse.aether.transfer.ArtifactNotFoundException;

/**
 * Kits as Maven sees them: found in the module's dependency graph, resolved through Maven
 * Resolver (reactor, local repository, remote repositories with settings.xml mirrors, credentials
 * and offline mode), and identified as the project's own when a module of this project builds them.
 */
final class MavenKits implements KitSource {
    static final String TYPE = "kit";
    static final String MANIFEST_EXTENSION = "kit.toml";
    static final String PAYLOAD_EXTENSION = "tar";
    /** The manifest's detached OpenPGP signature; maven-gpg-plugin's own signatures end in .asc. */
    static final String SIGNATURE_EXTENSION = "kit.toml.sig";
    static final long MAX_SIGNATURE_BYTES = 64L << 10;

    /** A manifest lists every RPM of every arch; even very large kits stay far below this. */
    static final long MAX_MANIFEST_BYTES = 64L << 20;

    private final RepositorySystem system;
    private final MavenSession session;
    private final MavenProject project;
    private final NetworkLimits limits;

    MavenKits(RepositorySystem system, MavenSession session, MavenProject project, NetworkLimits limits) {
        this.system = system;
        this.session = session;
        this.project = project;
        this.limits = limits;
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
            throw new KitException(module() + ": cannot read its dependency graph: " + Urls.redact(e.getMessage()), e);
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
                kit, "manifest", MAX_MANIFEST_BYTES, "the " + NetworkLimits.bytes(MAX_MANIFEST_BYTES)
                        + " a kit manifest may have");
    }

    @Override
    public Path payload(KitCoordinates kit, String arch, long size) throws KitException {
        return resolve(new DefaultArtifact(kit.groupId(), kit.artifactId(), arch, PAYLOAD_EXTENSION, kit.version()),
                kit, arch + " payload", size, "the " + NetworkLimits.bytes(size) + " its manifest records");
    }

    @Override
    public Optional<Path> signature(KitCoordinates kit) throws KitException {
        Artifact artifact = new DefaultArtifact(kit.groupId(), kit.artifactId(), "", SIGNATURE_EXTENSION, kit.version());
        try {
            return Optional.of(resolve(artifact, kit, "signature", MAX_SIGNATURE_BYTES, "the "
                    + NetworkLimits.bytes(MAX_SIGNATURE_BYTES) + " a kit signature may have"));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    /** Every repository answered that the artifact does not exist (not: could not be asked). */
    private static final class NotFound extends KitException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    /** A bad payload in the local repository is only a bad copy of the remote: delete it. */
    @Override
    public void discardPayload(KitCoordinates kit, String arch) {
        discard(new DefaultArtifact(kit.groupId(), kit.artifactId(), arch, PAYLOAD_EXTENSION, kit.version()));
    }

    @Override
    public void discardManifest(KitCoordinates kit) {
        discard(new DefaultArtifact(kit.groupId(), kit.artifactId(), "", MANIFEST_EXTENSION, kit.version()));
    }

    private void discard(Artifact artifact) {
        Path localRepository = session.getRepositorySession().getLocalRepository().getBasedir().toPath()
                .toAbsolutePath().normalize();
        String relative = session.getRepositorySession().getLocalRepositoryManager().getPathForLocalArtifact(artifact);
        Path file = localRepository.resolve(relative).normalize();
        // A file built by a module of this reactor is not a downloaded copy; never delete outside the repository.
        if (!file.startsWith(localRepository)) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The next build verifies the file again anyway.
        }
    }

    private Path resolve(Artifact artifact, KitCoordinates kit, String what, long maxBytes, String limit)
            throws KitException {
        return resolve(artifact, "the " + what + " of kit " + kit, maxBytes, limit);
    }

    /**
     * A trusted kit key published as an artifact ({@code groupId:artifactId:version[:extension[:classifier]]},
     * extension {@code asc} by default), bounded like a key file.
     */
    Path trustedKey(String coordinates) throws KitException {
        String[] parts = coordinates.split(":", -1);
        boolean valid = parts.length >= 3 && parts.length <= 5;
        for (int i = 0; valid && i < parts.length; i++) {
            valid = i == 2 ? Syntax.isMavenVersion(parts[i]) : Syntax.isMavenId(parts[i]);
        }
        if (!valid) {
            throw new KitException(module() + ": <trustedKitKeys> names the key artifact "
                    + Syntax.show(coordinates) + "; use groupId:artifactId:version[:extension[:classifier]].");
        }
        Artifact artifact = new DefaultArtifact(parts[0], parts[1], parts.length > 4 ? parts[4] : "",
                parts.length > 3 ? parts[3] : "asc", parts[2]);
        long max = 1L << 20;
        return resolve(artifact, "the trusted kit key " + coordinates, max, "the " + NetworkLimits.bytes(max)
                + " a key file may have");
    }

    /**
     * A prebuilt RPM of an rpm module, resolved like any artifact (remote repositories, settings.xml
     * mirrors and credentials, offline mode), at most {@code maxBytes} long.
     */
    Path prebuiltRpm(dev.twoliter.engine.prebuilt.PrebuiltOrigin.Artifact rpm, long maxBytes) throws KitException {
        Artifact artifact = new DefaultArtifact(rpm.groupId(), rpm.artifactId(), rpm.classifier(), rpm.extension(),
                rpm.version());
        return resolve(artifact, "the prebuilt RPM " + rpm.coordinates(), maxBytes, "the " + NetworkLimits.bytes(maxBytes)
                + " a prebuilt RPM may have");
    }

    private Path resolve(Artifact artifact, String subject, long maxBytes, String limit)
            throws KitException {
        BoundedTransfers transfers = new BoundedTransfers(session.getRepositorySession().getTransferListener(), maxBytes,
                limit, limits);
        ArtifactRequest request = new ArtifactRequest(artifact, project.getRemoteProjectRepositories(), null);
        DefaultRepositorySystemSession bounded = BoundedTransfers.session(session.getRepositorySession(), transfers, limits,
                project.getRemoteProjectRepositories());
        // A transport may report progress only every few KiB, so a server that drips a byte at a time
        // is never seen by the transfer watch: the overall timeout is also kept from outside.
        FutureTask<Path> resolution = new FutureTask<>(
                () -> system.resolveArtifact(bounded, request).getArtifact().getFile().toPath());
        Thread worker = new Thread(resolution, "twoliter-kit-download");
        worker.setDaemon(true);
        worker.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        worker.start();
        try {
            return resolution.get(limits.overallTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Not interrupted: closing the transport's stream from here would make this thread
            // read the rest of the dripping body. The daemon worker ends with the build.
            resolution.cancel(false);
            discardPartialDownload(artifact);
            String transfer = transfers.current() == null ? "the repositories did not deliver it"
                    : "download of " + transfers.current() + " stopped: it did not finish";
            throw new KitException(module() + ": cannot resolve " + subject + ": " + transfer
                    + " within " + limits.describeOverallTimeout() + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            resolution.cancel(false);
            throw new KitException(module() + ": interrupted while resolving " + subject + ".");
        } catch (ExecutionException wrapped) {
            if (!(wrapped.getCause() instanceof ArtifactResolutionException e)) {
                throw new KitException(module() + ": cannot resolve " + subject + ": "
                        + Urls.redact(String.valueOf(wrapped.getCause())), wrapped.getCause());
            }
            if (transfers.failure() == null && !e.getResults().isEmpty() && e.getResults().stream()
                    .allMatch(r -> !r.getExceptions().isEmpty() && r.getExceptions().stream()
                            .allMatch(x -> x instanceof ArtifactNotFoundException))) {
                throw new NotFound(module() + ": " + subject + " is in no repository.");
            }
            if (transfers.failure() != null) {
                // No cause attached: Maven would repeat the resolver's wording of the same failure.
                throw new KitException(module() + ": cannot resolve " + subject + ": "
                        + transfers.failure() + ".");
            }
            String timeout = timeoutIn(e);
            if (timeout != null) {
                throw new KitException(module() + ": cannot resolve " + subject + ": " + timeout
                        + ". (" + Urls.redact(e.getMessage()) + ")");
            }
            if (session.isOffline()) {
                throw new KitException(module() + ": " + subject + " is not in the local repository"
                        + " and Maven runs offline (-o). Build once online to fetch it. (" + Urls.redact(e.getMessage())
                        + ")", e);
            }
            throw new KitException(module() + ": cannot resolve " + subject + ": "
                    + Urls.redact(e.getMessage()), e);
        }
    }

    /**
     * Removes what an abandoned download left in the local repository (Maven Resolver downloads
     * into {@code <file>.part}, locked by {@code <file>.part.lock}), so no partial file stays there.
     */
    private void discardPartialDownload(Artifact artifact) {
        Path local = session.getRepositorySession().getLocalRepository().getBasedir().toPath().toAbsolutePath()
                .normalize();
        Path file = local.resolve(session.getRepositorySession().getLocalRepositoryManager()
                .getPathForLocalArtifact(artifact)).normalize();
        if (!file.startsWith(local)) {
            return;
        }
        for (String suffix : List.of(".part", ".part.lock")) {
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException e) {
                // The next resolution starts the download afresh or resumes it, checked either way.
            }
        }
    }

    /** Words a transport timeout in the plugin's terms, or null if the failure was something else. */
    private String timeoutIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                String text = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
                return text.contains("connect") ? "no connection within " + limits.describeConnectTimeout()
                        : "the repository sent no data for " + limits.describeReadTimeout();
            }
        }
        return null;
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
