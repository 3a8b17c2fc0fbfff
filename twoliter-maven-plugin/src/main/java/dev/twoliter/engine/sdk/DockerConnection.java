package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.net.Urls;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * One Docker engine as the build reaches it: its URL checked, a ping that fails fast with
 * instructions, and the API client, which a local engine loads only when the first container is
 * needed (an up-to-date build asks the socket directly, {@link LocalDockerSocket}). It also words
 * Docker failures for users, naming the timeout that expired.
 */
final class DockerConnection {
    private final String host;
    private final DockerTimeouts timeouts;
    /** The local socket for the calls of an up-to-date build; null for a remote engine. */
    private final LocalDockerSocket localSocket;
    private final Supplier<DockerApi> opener;
    /** Runs once, on the client just opened: where leftovers of killed builds are swept. */
    private final Consumer<DockerApi> onOpen;
    /** Null until a container is needed: docker-java costs half a second of class loading. */
    private volatile DockerApi api;

    DockerConnection(String host, DockerTimeouts timeouts, LocalDockerSocket localSocket, Supplier<DockerApi> opener,
            Consumer<DockerApi> onOpen) {
        this.host = host;
        this.timeouts = timeouts;
        this.localSocket = localSocket;
        this.opener = opener;
        this.onOpen = onOpen;
    }

    /**
     * Checks {@code host} and pings it; {@code onOpen} runs on the API client when it is opened: at
     * once for a remote engine, at the first container for a local one.
     */
    static DockerConnection open(String host, DockerTimeouts timeouts, Consumer<DockerApi> onOpen)
            throws BuildEnvironmentException {
        URI uri = parseHost(host);
        // The ping gets only the connect timeout: a fast answer to "is there an engine at all".
        DockerTimeouts pingTimeouts = new DockerTimeouts(timeouts.connect(), timeouts.connect(),
                timeouts.connectSetting(), timeouts.connectSetting());
        if (uri.getScheme().equals("unix")) {
            LocalDockerSocket socket = new LocalDockerSocket(Path.of(uri.getPath()), timeouts);
            try {
                LocalDockerSocket.Response pong = new LocalDockerSocket(Path.of(uri.getPath()), pingTimeouts).get("/_ping");
                if (pong.status() != 200) {
                    throw new IOException("it answered HTTP " + pong.status() + " to a ping");
                }
            } catch (IOException | RuntimeException e) {
                throw notReachable(host, e, pingTimeouts);
            }
            return new DockerConnection(host, timeouts, socket, () -> DockerJavaApi.open(uri, null, timeouts), onOpen);
        }
        SSLContext tls = tls(uri, System.getenv(), Path.of(System.getProperty("user.home")));
        DockerJavaApi ping = DockerJavaApi.forPing(uri, tls, timeouts.connect());
        try {
            ping.ping();
        } catch (RuntimeException e) {
            throw notReachable(host, e, pingTimeouts);
        } finally {
            ping.close();
        }
        DockerConnection connection = new DockerConnection(host, timeouts, null,
                () -> DockerJavaApi.open(uri, tls, timeouts), onOpen);
        connection.api = connection.openApi();
        return connection;
    }

    private static BuildEnvironmentException notReachable(String host, Exception e, DockerTimeouts pingTimeouts) {
        return new BuildEnvironmentException("Docker is not reachable at " + Urls.redact(host) + " (" + describe(e, pingTimeouts)
                + "). Start the Docker engine (for example `sudo systemctl start docker`, or `sudo dockerd &` on a"
                + " machine without an init system) or point the build at a running engine (DOCKER_HOST).", e);
    }

    static URI parseHost(String host) throws BuildEnvironmentException {
        if (host.regionMatches(true, 0, "ssh://", 0, "ssh://".length())) {
            // docker-java's transports speak HTTP over a socket or TCP; none of them runs ssh.
            throw new BuildEnvironmentException("Docker host " + Syntax.show(Urls.redact(host))
                    + " uses ssh://, which the Docker client of this plugin (docker-java's zerodep transport) does not"
                    + " support. Use tcp://<host>:2376 with TLS (DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH), or forward"
                    + " the engine's socket over SSH (`ssh -nNT -L /tmp/remote-docker.sock:/var/run/docker.sock <host>`)"
                    + " and use unix:///tmp/remote-docker.sock.");
        }
        try {
            URI uri = new URI(host);
            if (!List.of("unix", "tcp").contains(String.valueOf(uri.getScheme()))) {
                throw new URISyntaxException(host, "the scheme must be unix:// or tcp://");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new BuildEnvironmentException("Docker host " + Syntax.show(Urls.redact(host))
                    + " is not a Docker endpoint URL (unix:///var/run/docker.sock or tcp://host:port): "
                    + e.getReason() + ".");
        }
    }

    /**
     * TLS for a tcp:// engine as the environment asks ({@link DockerTls}), its files read now so that
     * a bad one fails here, naming the engine and the directory; null for none.
     */
    static SSLContext tls(URI host, Map<String, String> environment, Path home) throws BuildEnvironmentException {
        Path certificates = DockerTls.certificates(host, environment, home);
        if (certificates == null) {
            return null;
        }
        String engine = Urls.redact(host.toString());
        String where = DockerTls.describe(certificates, environment);
        SSLContext context;
        try {
            context = DockerJavaApi.readTls(host, certificates);
        } catch (Exception e) {
            throw new BuildEnvironmentException("Docker engine " + engine + ": cannot read the TLS certificates in "
                    + where + " (" + rootMessage(e) + "). ca.pem, cert.pem and key.pem must be PEM files as"
                    + " `docker --tlsverify` reads them.", e);
        }
        if (context == null) {
            throw new BuildEnvironmentException("Docker engine " + engine + ": docker-java found no TLS certificates in "
                    + where + "; it needs ca.pem, cert.pem and key.pem.");
        }
        return context;
    }

    String host() {
        return host;
    }

    DockerTimeouts timeouts() {
        return timeouts;
    }

    /** The socket for read-only calls without the client; null for a remote engine. */
    LocalDockerSocket localSocket() {
        return localSocket;
    }

    /** The API client, loading it on first use; a failed load is tried again next time. */
    DockerApi api() throws BuildEnvironmentException {
        DockerApi loaded = api;
        if (loaded == null) {
            synchronized (this) {
                if (api == null) {
                    try {
                        api = openApi();
                    } catch (RuntimeException e) {
                        throw new BuildEnvironmentException("Could not set up the Docker client for "
                                + Urls.redact(host) + ": " + describe(e, timeouts), e);
                    }
                }
                loaded = api;
            }
        }
        return loaded;
    }

    /** The API client if it was loaded; null otherwise (then no container was made through it). */
    DockerApi loadedApi() {
        return api;
    }

    private DockerApi openApi() {
        DockerApi opened = opener.get();
        onOpen.accept(opened);
        return opened;
    }

    /** "Could not {action}: Docker at {host} failed (why)." */
    BuildEnvironmentException failure(String action, RuntimeException e) {
        return new BuildEnvironmentException("Could not " + action + ": Docker at " + Urls.redact(host) + " failed ("
                + describe(e, timeouts) + ").", e);
    }

    /** Says why a Docker call failed, naming the timeout that expired when one did. */
    static String describe(Throwable e, DockerTimeouts timeouts) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connect")
                        ? "no connection within " + timeouts.connect().toSeconds() + " s (" + timeouts.connectSetting()
                                + ")"
                        : "no answer within " + timeouts.read().toSeconds() + " s (" + timeouts.readSetting() + ")";
            }
        }
        return rootMessage(e);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
