package dev.twoliter.engine.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Words why an HTTP exchange failed, from what the JDK's client reports (which wraps the system's
 * exceptions): a limit of ours, a timeout, a host or proxy that cannot be resolved or reached, TLS,
 * a server that hung up. A failure to write the file on this side is not the server's: it is
 * thrown as it is.
 */
final class ExchangeFailures {
    private final NetworkLimits limits;
    private final ProxySelector proxy;

    /** @param proxy chooses the proxy per URL, or null for direct connections */
    ExchangeFailures(NetworkLimits limits, ProxySelector proxy) {
        this.limits = limits;
        this.proxy = proxy;
    }

    /**
     * The transfer outlasted the overall timeout.
     *
     * @param body the body being received, or null if none was
     */
    DownloadException overall(URI url, URI current, BodyToFile body) {
        return new DownloadException(HttpDownload.where(url, current) + ": the download did not finish within "
                + limits.describeOverallTimeout() + (body == null ? "" : "; " + body.progress() + " arrived"));
    }

    /**
     * Why the exchange with {@code current} (reached from {@code url}) failed.
     *
     * @param body the body being received, or null if none was
     * @param headersCappedByDeadline whether the wait for the headers was cut short by the overall
     *     deadline rather than the read timeout
     * @throws BodyToFile.WriteFailure if writing the file failed on this side
     */
    DownloadException describe(Throwable error, URI url, URI current, BodyToFile body,
            boolean headersCappedByDeadline) throws IOException {
        String at = HttpDownload.where(url, current);
        DownloadAbort abort = find(error, DownloadAbort.class);
        if (abort != null) {
            return new DownloadException(at + ": " + abort.getMessage());
        }
        BodyToFile.WriteFailure local = find(error, BodyToFile.WriteFailure.class);
        if (local != null) {
            throw local;
        }
        Proxy.Type via = proxyFor(current);
        String target = via == Proxy.Type.HTTP ? "proxy " + proxyAddress(current)
                : current.getHost() + ":" + Urls.port(current);
        if (find(error, HttpConnectTimeoutException.class) != null) {
            return new DownloadException(at + ": cannot connect to " + target + " within "
                    + limits.describeConnectTimeout());
        }
        if (find(error, HttpTimeoutException.class) != null) {
            return headersCappedByDeadline ? overall(url, current, body)
                    : new DownloadException(at + ": no data for " + limits.describeReadTimeout()
                            + " while waiting for the response");
        }
        if (find(error, UnresolvedAddressException.class) != null) {
            return new DownloadException(at + ": cannot resolve host "
                    + (via == Proxy.Type.HTTP ? "of the proxy " + proxyAddress(current) : current.getHost()));
        }
        if (find(error, ConnectException.class) != null) {
            String detail = innermostMessage(error);
            return detail == null || detail.toLowerCase(java.util.Locale.ROOT).contains("refused")
                    ? new DownloadException(at + ": connection refused by " + target)
                    : new DownloadException(at + ": cannot connect to " + target + ": " + detail);
        }
        SSLException tls = find(error, SSLException.class);
        if (tls != null) {
            return new DownloadException(at + ": the TLS connection to " + target + " failed: "
                    + BodyToFile.describe(tls));
        }
        if (body != null && BodyToFile.endOfStream(error)) {
            return new DownloadException(at + ": " + body.closedEarly());
        }
        String message = BodyToFile.describe(error);
        if (message.contains("header parser received no bytes") || message.contains("EOF reached")) {
            return new DownloadException(at + ": the server closed the connection without answering");
        }
        return new DownloadException(at + ": " + message);
    }

    /** The most specific explanation in a chain of exceptions (the client wraps the system's). */
    private static String innermostMessage(Throwable error) {
        String message = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private Proxy.Type proxyFor(URI uri) {
        if (proxy == null) {
            return Proxy.Type.DIRECT;
        }
        List<Proxy> chosen = proxy.select(uri);
        return chosen.isEmpty() ? Proxy.Type.DIRECT : chosen.get(0).type();
    }

    private String proxyAddress(URI uri) {
        Object address = proxy.select(uri).get(0).address();
        if (address instanceof java.net.InetSocketAddress a) {
            return a.getHostString() + ":" + a.getPort();
        }
        return String.valueOf(address);
    }
}
