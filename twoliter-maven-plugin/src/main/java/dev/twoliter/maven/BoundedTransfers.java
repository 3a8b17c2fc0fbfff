package dev.twoliter.maven;

import dev.twoliter.engine.net.NetworkLimits;
import java.util.List;
import java.util.Map;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.transfer.TransferCancelledException;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.transfer.TransferListener;

/**
 * Watches the downloads of one resolution and cancels any that brings more bytes than expected or
 * takes longer than allowed in all: a repository that streams forever, or one byte per second,
 * must not fill the disk or hold the build. (Stalls without any progress are the transport's read
 * timeout's job.) Events are passed on to Maven's own listener, so progress shows as usual.
 */
final class BoundedTransfers implements TransferListener {
    private final TransferListener delegate;
    private final long maxBytes;
    private final String limitDescription;
    private final NetworkLimits limits;
    private final long deadline;
    private volatile String failure;
    private volatile boolean overLimit;
    private volatile String current;

    BoundedTransfers(TransferListener delegate, long maxBytes, String limitDescription, NetworkLimits limits) {
        this.delegate = delegate;
        this.maxBytes = maxBytes;
        this.limitDescription = limitDescription;
        this.limits = limits;
        this.deadline = System.nanoTime() + limits.overallTimeout().toNanos();
    }

    /**
     * The build's repository session with the transfer watch and, unless the user configured them,
     * the plugin's connect and read timeouts (Maven's own defaults let a silent server hold a
     * build for half an hour).
     */
    static DefaultRepositorySystemSession session(RepositorySystemSession base, TransferListener transfers,
            NetworkLimits limits, List<RemoteRepository> repositories) {
        DefaultRepositorySystemSession bounded = new DefaultRepositorySystemSession(base);
        bounded.setTransferListener(transfers);
        Map<String, Object> config = bounded.getConfigProperties();
        if (!config.containsKey(CONNECT_TIMEOUT)) {
            bounded.setConfigProperty(CONNECT_TIMEOUT, (int) limits.connectTimeout().toMillis());
        }
        if (!config.containsKey(REQUEST_TIMEOUT)) {
            bounded.setConfigProperty(REQUEST_TIMEOUT, (int) limits.readTimeout().toMillis());
        }
        // Maven 3.8's wagon transport takes its socket read timeout only from the wagon's own
        // configuration (a server's <configuration> in settings.xml), not from the property above.
        for (RemoteRepository repository : repositories) {
            String key = WAGON_CONFIG + repository.getId();
            Object existing = config.get(key);
            if (existing != null && !(existing instanceof Xpp3Dom)) {
                continue;
            }
            Xpp3Dom wagon = existing == null ? new Xpp3Dom("wagon") : new Xpp3Dom((Xpp3Dom) existing);
            if (wagon.getChild("readTimeout") == null) {
                Xpp3Dom readTimeout = new Xpp3Dom("readTimeout");
                readTimeout.setValue(Long.toString(limits.readTimeout().toMillis()));
                wagon.addChild(readTimeout);
            }
            bounded.setConfigProperty(key, wagon);
        }
        return bounded;
    }

    private static final String WAGON_CONFIG = "aether.connector.wagon.config.";
    private static final String CONNECT_TIMEOUT = "aether.connector.connectTimeout";
    private static final String REQUEST_TIMEOUT = "aether.connector.requestTimeout";

    /** Why a transfer was cancelled, or null. */
    String failure() {
        return failure;
    }

    /** Whether the transfer was stopped for its size: the file's fault, not the server's health. */
    boolean overLimit() {
        return overLimit;
    }

    /** The transfer under way ("name from url"), or null before the first one started. */
    String current() {
        return current;
    }

    @Override
    public void transferInitiated(TransferEvent event) throws TransferCancelledException {
        current = event.getResource().getResourceName() + " from "
                + dev.twoliter.engine.net.Urls.redact(event.getResource().getRepositoryUrl());
        if (delegate != null) {
            delegate.transferInitiated(event);
        }
    }

    @Override
    public void transferStarted(TransferEvent event) throws TransferCancelledException {
        long length = event.getResource().getContentLength();
        if (length > maxBytes) {
            overLimit = true;
            cancel(event, "the server announces " + NetworkLimits.bytes(length) + ", more than " + limitDescription);
        }
        if (delegate != null) {
            delegate.transferStarted(event);
        }
    }

    @Override
    public void transferProgressed(TransferEvent event) throws TransferCancelledException {
        if (event.getTransferredBytes() > maxBytes) {
            overLimit = true;
            cancel(event, "it sent more than " + limitDescription);
        }
        if (System.nanoTime() > deadline) {
            cancel(event, "it did not finish within " + limits.describeOverallTimeout());
        }
        if (delegate != null) {
            delegate.transferProgressed(event);
        }
    }

    private void cancel(TransferEvent event, String why) throws TransferCancelledException {
        String message = "download of " + event.getResource().getResourceName() + " from "
                + dev.twoliter.engine.net.Urls.redact(event.getResource().getRepositoryUrl()) + " stopped: " + why;
        failure = message;
        throw new TransferCancelledException(message);
    }

    @Override
    public void transferCorrupted(TransferEvent event) throws TransferCancelledException {
        if (delegate != null) {
            delegate.transferCorrupted(event);
        }
    }

    @Override
    public void transferSucceeded(TransferEvent event) {
        if (delegate != null) {
            delegate.transferSucceeded(event);
        }
    }

    @Override
    public void transferFailed(TransferEvent event) {
        if (delegate != null) {
            delegate.transferFailed(event);
        }
    }
}
