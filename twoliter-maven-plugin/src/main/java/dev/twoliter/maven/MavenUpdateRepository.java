package dev.twoliter.maven;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.net.NetworkLimits;
import dev.twoliter.engine.net.Urls;
import dev.twoliter.engine.update.UpdateRepositoryStore;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.spi.connector.transport.GetTask;
import org.eclipse.aether.spi.connector.transport.PutTask;
import org.eclipse.aether.spi.connector.transport.TransportListener;
import org.eclipse.aether.spi.connector.transport.Transporter;
import org.eclipse.aether.spi.connector.transport.TransporterProvider;
import org.eclipse.aether.transfer.NoTransporterException;
import org.eclipse.aether.transfer.TransferCancelledException;

/**
 * An update repository reached through Maven Resolver's transporters, by path: the transports of
 * the build ({@code file://}, HTTP(S), WebDAV), the credentials of the settings.xml {@code
 * <server>} with the repository's id, its proxies, and the plugin's connect, read and overall
 * timeouts. Reads and writes go to the repository itself: a mirror of it would serve a copy that
 * may lag behind what was published.
 */
final class MavenUpdateRepository implements UpdateRepositoryStore {
    private final TransporterProvider transporters;
    private final RepositorySystemSession session;
    private final RemoteRepository repository;
    private final NetworkLimits limits;

    MavenUpdateRepository(RepositorySystem system, TransporterProvider transporters, RepositorySystemSession session,
            String id, String url, NetworkLimits limits) {
        this.transporters = transporters;
        this.repository = system.newDeploymentRepository(session,
                new RemoteRepository.Builder(id, "default", url.endsWith("/") ? url : url + "/").build());
        this.session = BoundedTransfers.session(session, session.getTransferListener(), limits, List.of(repository));
        this.limits = limits;
    }

    @Override
    public String location() {
        return Urls.redact(repository.getUrl());
    }

    @Override
    public boolean fetch(String path, long maxBytes, Path target) throws TwoliterException {
        AtomicLong received = new AtomicLong();
        GetTask task = new GetTask(URI.create(path)).setDataFile(target.toFile());
        task.setListener(new TransportListener() {
            @Override
            public void transportStarted(long offset, long length) throws TransferCancelledException {
                if (length > maxBytes) {
                    throw new TransferCancelledException(path + " is " + length + " bytes, more than " + maxBytes);
                }
            }

            @Override
            public void transportProgressed(ByteBuffer data) throws TransferCancelledException {
                if (received.addAndGet(data.remaining()) > maxBytes) {
                    throw new TransferCancelledException(path + " is larger than " + maxBytes + " bytes");
                }
            }
        });
        return transfer("download of " + path, transporter -> {
            try {
                transporter.get(task);
                return true;
            } catch (Exception e) {
                if (transporter.classify(e) == Transporter.ERROR_NOT_FOUND) {
                    Files.deleteIfExists(target);
                    return false;
                }
                throw e;
            }
        }, received, maxBytes);
    }

    @Override
    public void put(String path, Path file) throws TwoliterException {
        transfer("upload of " + path, transporter -> {
            transporter.put(new PutTask(URI.create(path)).setDataFile(file.toFile()));
            return true;
        }, new AtomicLong(), Long.MAX_VALUE);
    }

    private interface Transfer {
        boolean run(Transporter transporter) throws Exception;
    }

    /** Runs one transfer with the overall timeout kept from outside: transports only watch silence. */
    private boolean transfer(String what, Transfer transfer, AtomicLong received, long maxBytes)
            throws TwoliterException {
        Callable<Boolean> call = () -> {
            try (Transporter transporter = transporters.newTransporter(session, repository)) {
                return transfer.run(transporter);
            }
        };
        FutureTask<Boolean> task = new FutureTask<>(call);
        Thread worker = new Thread(task, "twoliter-update-repository");
        worker.setDaemon(true);
        worker.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        worker.start();
        try {
            return task.get(limits.overallTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new TwoliterException("The " + what + " at " + location() + " did not finish within "
                    + limits.describeOverallTimeout() + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            throw new TwoliterException("The " + what + " at " + location() + " was interrupted.");
        } catch (ExecutionException e) {
            throw new TwoliterException("The " + what + " at " + location() + " failed: "
                    + describe(e.getCause(), received.get() > maxBytes), e.getCause());
        }
    }

    private String describe(Throwable failure, boolean overLimit) {
        if (failure instanceof NoTransporterException) {
            return "Maven has no transport for this URL (" + Urls.redact(String.valueOf(failure.getMessage())) + ").";
        }
        Throwable innermost = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransferCancelledException || overLimit) {
                return String.valueOf(t.getMessage()) + "; the file is refused.";
            }
            if (t instanceof java.net.SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect")
                        ? "no connection within " + limits.describeConnectTimeout() + "."
                        : "the server sent no data for " + limits.describeReadTimeout() + ".";
            }
            innermost = t;
        }
        String text = innermost.getMessage() == null ? innermost.getClass().getSimpleName() : innermost.getMessage();
        return Urls.redact(text) + ".";
    }
}
