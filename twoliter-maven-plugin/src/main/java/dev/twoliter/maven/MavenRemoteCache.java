package dev.twoliter.maven;

import dev.twoliter.engine.cache.CacheKey;
import dev.twoliter.engine.cache.RemoteCache;
import dev.twoliter.engine.cache.RemoteCacheException;
import dev.twoliter.engine.net.NetworkLimits;
import dev.twoliter.engine.net.Urls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.impl.RepositoryConnectorProvider;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.spi.connector.ArtifactDownload;
import org.eclipse.aether.spi.connector.ArtifactUpload;
import org.eclipse.aether.spi.connector.RepositoryConnector;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.transfer.NoRepositoryConnectorException;

/**
 * The remote build cache as a Maven repository, reached through Maven Resolver's repository
 * connector: the same transports, credentials ({@code <server>} with the cache's id), mirrors
 * ({@code <mirrorOf>} matching that id) and proxies as every other download of the build. The
 * connector moves files straight between the repository and the build's own directories:
 * entries never pass through the local repository, which would otherwise fill with build outputs.
 *
 * <p>An entry of module {@code g:a} with key {@code k} is the artifact {@code twoliter-cache.g:a:k}:
 * its files are {@code a-k-output-<n>.bin}, the description's signature (if signed) {@code
 * a-k-entry.toml.sig}, and the description {@code a-k-entry.toml}, uploaded last.
 */
final class MavenRemoteCache implements RemoteCache {
    static final String GROUP_PREFIX = "twoliter-cache.";
    private final RepositorySystem system;
    private final RepositoryConnectorProvider connectors;
    private final RepositorySystemSession session;
    private final RemoteRepository repository;
    /** Where reads go: the repository, or the settings.xml mirror whose mirrorOf matches its id. */
    private final RemoteRepository source;
    private final NetworkLimits limits;

    MavenRemoteCache(RepositorySystem system, RepositoryConnectorProvider connectors, RepositorySystemSession session,
            String id, String url, NetworkLimits limits) {
        this.system = system;
        this.connectors = connectors;
        this.session = session;
        this.repository = new RemoteRepository.Builder(id, "default", url).build();
        this.source = system.newResolutionRepositories(session, List.of(repository)).get(0);
        this.limits = limits;
    }

    @Override
    public String location() {
        if (source.getMirroredRepositories().isEmpty()) {
            return Urls.redact(source.getUrl());
        }
        return Urls.redact(source.getUrl()) + " (mirror " + source.getId() + " of " + publishLocation() + ")";
    }

    @Override
    public String publishLocation() {
        return Urls.redact(repository.getUrl());
    }

    @Override
    public boolean fetchEntry(CacheKey key, long maxBytes, Path target) throws RemoteCacheException {
        return fetchIfPresent(artifact(key, "entry", "toml"), maxBytes, target);
    }

    @Override
    public boolean fetchSignature(CacheKey key, long maxBytes, Path target) throws RemoteCacheException {
        return fetchIfPresent(artifact(key, "entry", "toml.sig"), maxBytes, target);
    }

    /** Downloads a file that may be absent: false if the repository does not have it. */
    private boolean fetchIfPresent(Artifact artifact, long maxBytes, Path target) throws RemoteCacheException {
        ArtifactTransferException failure = download(artifact, maxBytes, target);
        if (failure instanceof ArtifactNotFoundException) {
            return false;
        }
        if (failure != null) {
            throw new RemoteCacheException(describe(failure));
        }
        return true;
    }

    @Override
    public void fetchFile(CacheKey key, int index, long maxBytes, Path target) throws RemoteCacheException {
        ArtifactTransferException failure = download(artifact(key, "output-" + index, "bin"), maxBytes, target);
        if (failure instanceof ArtifactNotFoundException) {
            throw new RemoteCacheException("the entry lists it, but the cache does not have it");
        }
        if (failure != null) {
            throw new RemoteCacheException(describe(failure));
        }
    }

    @Override
    public void store(CacheKey key, List<Path> files, Optional<Path> signature, Path entry)
            throws RemoteCacheException {
        List<ArtifactUpload> outputs = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            outputs.add(new ArtifactUpload(artifact(key, "output-" + i, "bin"), files.get(i).toFile()));
        }
        RemoteRepository deployment = system.newDeploymentRepository(session, repository);
        // The description goes up only after every file arrived: readers look for it first.
        if (signature.isPresent()) {
            outputs.add(new ArtifactUpload(artifact(key, "entry", "toml.sig"), signature.get().toFile()));
        }
        upload(deployment, outputs);
        upload(deployment, List.of(new ArtifactUpload(artifact(key, "entry", "toml"), entry.toFile())));
    }

    private void upload(RemoteRepository deployment, List<ArtifactUpload> uploads) throws RemoteCacheException {
        BoundedTransfers transfers = new BoundedTransfers(session.getTransferListener(), Long.MAX_VALUE,
                "no limit", limits);
        RepositorySystemSession bounded = BoundedTransfers.session(session, transfers, limits, List.of(deployment));
        uploads.forEach(upload -> upload.setListener(transfers));
        withDeadline("upload to " + publishLocation(), transfers, () -> {
            try (RepositoryConnector connector = connectors.newRepositoryConnector(bounded, deployment)) {
                connector.put(uploads, null);
            }
            return null;
        });
        for (ArtifactUpload upload : uploads) {
            if (upload.getException() != null) {
                throw new RemoteCacheException(describe(upload.getException()));
            }
        }
    }

    /**
     * Downloads one file straight into {@code target}; returns the failure, if any. Once a download
     * from the cache failed for another reason than a missing file or a file larger than its entry
     * declares (one entry's fault), the cache is not asked again in this build: a cache that does
     * not answer would otherwise cost its timeout for every module.
     */
    private ArtifactTransferException download(Artifact artifact, long maxBytes, Path target)
            throws RemoteCacheException {
        Object down = session.getData().get(downKey());
        if (down instanceof String why) {
            throw new RemoteCacheException("not asked again: " + why + ", earlier in this build");
        }
        BoundedTransfers transfers = new BoundedTransfers(session.getTransferListener(), maxBytes,
                "the " + NetworkLimits.bytes(maxBytes) + " the entry declares", limits);
        try {
            ArtifactTransferException failure = downloadOnce(artifact, transfers, target);
            if (failure != null && !(failure instanceof ArtifactNotFoundException)) {
                session.getData().set(downKey(), describe(failure));
            }
            return failure;
        } catch (RemoteCacheException e) {
            if (transfers.overLimit()) {
                throw RemoteCacheException.fileTooLarge(e.getMessage());
            }
            session.getData().set(downKey(), e.getMessage());
            throw e;
        }
    }

    private String downKey() {
        return "dev.twoliter.remote-cache-failed:" + source.getUrl();
    }

    private ArtifactTransferException downloadOnce(Artifact artifact, BoundedTransfers transfers, Path target)
            throws RemoteCacheException {
        RepositorySystemSession bounded = BoundedTransfers.session(session, transfers, limits, List.of(source));
        // The entry's own sha256 checks every file; the repository's checksum files would cost a
        // request each and protect nothing an attacker with write access could not redo.
        ArtifactDownload download = new ArtifactDownload(artifact, "twoliter-cache", target.toFile(),
                RepositoryPolicy.CHECKSUM_POLICY_IGNORE);
        download.setRepositories(List.of(source));
        // A connector used directly reports to the transfer's own listener, not to the session's:
        // without this the size bound and the progress deadline would never see a byte.
        download.setListener(transfers);
        withDeadline("download from " + location(), transfers, () -> {
            try (RepositoryConnector connector = connectors.newRepositoryConnector(bounded, source)) {
                connector.get(List.of(download), null);
            }
            return null;
        });
        if (transfers.failure() != null) {
            throw new RemoteCacheException(transfers.failure());
        }
        return download.getException();
    }

    /**
     * Runs a transfer with the overall timeout kept from outside: a transport reports progress
     * only every few KiB, so a server that drips bytes is not seen by the transfer watch alone.
     */
    private void withDeadline(String what, BoundedTransfers transfers, Callable<Void> transfer)
            throws RemoteCacheException {
        FutureTask<Void> task = new FutureTask<>(transfer);
        Thread worker = new Thread(task, "twoliter-remote-cache");
        worker.setDaemon(true);
        worker.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        worker.start();
        try {
            task.get(limits.overallTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(false);
            throw new RemoteCacheException(what + " did not finish within " + limits.describeOverallTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            throw new RemoteCacheException("interrupted during the " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NoRepositoryConnectorException) {
                throw new RemoteCacheException("Maven has no transport for " + location() + " ("
                        + Urls.redact(String.valueOf(cause.getMessage())) + ")");
            }
            if (transfers.failure() != null) {
                throw new RemoteCacheException(transfers.failure());
            }
            throw new RemoteCacheException(Urls.redact(String.valueOf(cause)), cause);
        }
    }

    /** The transport's failure in a few words: a timeout by its setting, else the innermost cause. */
    private String describe(Exception failure) {
        Throwable innermost = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect")
                        ? "no connection within " + limits.describeConnectTimeout()
                        : "the server sent no data for " + limits.describeReadTimeout();
            }
            innermost = t;
        }
        // Resolver's own wording repeats the artifact's coordinates and the URL, which the message has already.
        String text = innermost.getMessage() == null ? innermost.getClass().getSimpleName() : innermost.getMessage();
        return Urls.redact(text);
    }

    static Artifact artifact(CacheKey key, String classifier, String extension) {
        return new DefaultArtifact(GROUP_PREFIX + key.groupId(), key.artifactId(), classifier, extension,
                key.digest());
    }

}
