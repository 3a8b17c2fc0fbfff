package dev.twoliter.engine.sdk;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.WaitResponse;
import com.github.dockerjava.transport.SSLConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.testcontainers.shaded.com.github.dockerjava.core.DefaultDockerClientConfig;
import org.testcontainers.shaded.com.github.dockerjava.core.DockerClientImpl;

/**
 * The one class that talks to docker-java: the client Testcontainers ships, but none of its
 * container lifecycle, which would start the Ryuk reaper and probe the network with helper images
 * that need a registry.
 *
 * <p>The client is built on docker-java's own HTTP transport rather than through Testcontainers'
 * factory, because only that way can every call have a connect and a read timeout: an endpoint
 * that accepts connections and never answers must fail the build, not hang it. Two clients: one
 * with a read timeout for API calls, one without for the calls that legitimately stay silent for as
 * long as a step runs (following its log, waiting for its exit, a pull), which the step timeout
 * bounds instead.
 *
 * <p>Loading this class costs half a second of class loading, so nothing on the path of an
 * up-to-date build may touch it (see {@link LocalDockerSocket}).
 */
final class DockerJavaApi implements DockerApi {
    static {
        // Testcontainers reports its client set-up at INFO; in a build log that is noise. Users can still
        // ask for it with -Dorg.slf4j.simpleLogger.log.org.testcontainers=info.
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.testcontainers", "warn");
    }

    private final DockerClient api;
    private final DockerClient streaming;

    private DockerJavaApi(DockerClient api, DockerClient streaming) {
        this.api = api;
        this.streaming = streaming;
    }

    /** The engine's clients; {@code tls} null means plain HTTP (or a socket). */
    static DockerApi open(URI host, SSLContext tls, DockerTimeouts timeouts) {
        return new DockerJavaApi(client(host, tls, timeouts.connect(), timeouts.read()),
                client(host, tls, timeouts.connect(), null));
    }

    /** One client, with {@code timeout} for connecting and answering, for a ping; close it after. */
    static DockerJavaApi forPing(URI host, SSLContext tls, Duration timeout) {
        DockerClient client = client(host, tls, timeout, timeout);
        return new DockerJavaApi(client, client);
    }

    /**
     * The TLS context docker-java makes of the certificate directory, so that a bad file fails
     * with the reason docker-java gives; null if it found none there.
     */
    static SSLContext readTls(URI host, Path certificates) throws Exception {
        SSLConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString())
                .withDockerTlsVerify(true)
                .withDockerCertPath(certificates.toString())
                .build()
                .getSSLConfig();
        return config == null ? null : config.getSSLContext();
    }

    /** A client with its own connection pool; {@code readTimeout} null means none. */
    private static DockerClient client(URI host, SSLContext tls, Duration connectTimeout, Duration readTimeout) {
        // TLS is decided by DockerTls alone: the environment's DOCKER_TLS_VERIFY must not make docker-java
        // look for certificates of a unix socket.
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString()).withDockerTlsVerify(false).build();
        SSLConfig sslConfig = tls == null ? null : () -> tls;
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder().dockerHost(host)
                .sslConfig(sslConfig).maxConnections(64).connectionTimeout(connectTimeout);
        if (readTimeout != null) {
            http.responseTimeout(readTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    void close() {
        closeQuietly(api);
        if (streaming != api) {
            closeQuietly(streaming);
        }
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            // nothing to release that matters
        }
    }

    @Override
    public void ping() {
        call(() -> api.pingCmd().exec());
    }

    @Override
    public Optional<ImageJson.Facts> inspectImage(String reference) {
        InspectImageResponse image;
        try {
            image = call(() -> api.inspectImageCmd(reference).exec());
        } catch (NotFound e) {
            return Optional.empty();
        }
        return Optional.of(new ImageJson.Facts(image.getId(),
                image.getConfig() == null ? Map.of() : image.getConfig().getLabels()));
    }

    @Override
    public void pull(String reference) throws InterruptedException {
        ResultCallback.Adapter<PullResponseItem> pulled = call(() -> streaming.pullImageCmd(reference)
                .exec(new ResultCallback.Adapter<>()));
        awaitCall(() -> pulled.awaitCompletion());
    }

    @Override
    public String create(ContainerSpec spec) {
        CreateContainerCmd create = api.createContainerCmd(spec.image())
                .withName(spec.name())
                .withLabels(spec.labels())
                .withEntrypoint(spec.entrypoint())
                .withCmd(List.of());
        if (spec.env() != null) {
            create.withEnv(spec.env());
        }
        create.withStdinOpen(true);
        if (spec.workingDir() != null) {
            create.withWorkingDir(spec.workingDir());
        }
        HostConfig host = HostConfig.newHostConfig().withNetworkMode(spec.networkMode());
        if (spec.mounts() != null) {
            host.withBinds(spec.mounts().stream().map(m -> new Bind(m.hostPath(), new Volume(m.containerPath()),
                    m.writable() ? AccessMode.rw : AccessMode.ro)).toList());
        }
        if (spec.devices() != null) {
            host.withDevices(spec.devices().stream().map(Device::parse).toList());
        }
        return call(() -> create.withHostConfig(host).exec().getId());
    }

    @Override
    public void start(String id) {
        call(() -> api.startContainerCmd(id).exec());
    }

    @Override
    public void rename(String id, String name) {
        call(() -> api.renameContainerCmd(id).withName(name).exec());
    }

    @Override
    public boolean isRunning(String id) {
        InspectContainerResponse container = call(() -> api.inspectContainerCmd(id).exec());
        return Boolean.TRUE.equals(container.getState().getRunning());
    }

    @Override
    public void remove(String id) {
        call(() -> api.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
    }

    @Override
    public List<Listed> listContainers(String label, String value) {
        List<Container> found = call(() -> api.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(label, value)).exec());
        return found.stream().map(c -> new Listed(c.getId(), c.getLabels() == null ? Map.of() : c.getLabels()))
                .toList();
    }

    @Override
    public void copyArchiveIn(String id, String directory, InputStream tar) {
        call(() -> api.copyArchiveToContainerCmd(id).withTarInputStream(tar).withRemotePath(directory).exec());
    }

    @Override
    public InputStream copyArchiveOut(String id, String path) {
        return call(() -> api.copyArchiveFromContainerCmd(id, path).exec());
    }

    @Override
    public LogStream followLogs(String id, Consumer<byte[]> output) {
        ResultCallback.Adapter<Frame> frames = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                output.accept(frame.getPayload());
            }
        };
        call(() -> streaming.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                .exec(frames));
        return new LogStream() {
            @Override
            public boolean awaitEnd(Duration max) throws InterruptedException {
                try {
                    return frames.awaitCompletion(max.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RuntimeException e) {
                    // The stream broke after the container ended: the log may lack its last lines,
                    // but the exit status, not the log, decides the step.
                    return false;
                }
            }

            @Override
            public void close() throws IOException {
                frames.close();
            }
        };
    }

    @Override
    public Exit awaitExit(String id, Duration max) throws InterruptedException {
        WaitCallback wait = call(() -> streaming.waitContainerCmd(id).exec(new WaitCallback()));
        try {
            boolean finished = wait.awaitCompletion(max.toMillis(), TimeUnit.MILLISECONDS);
            return new Exit(finished, wait.statusCode, wait.error);
        } catch (RuntimeException e) {
            // docker-java rethrows the error the wait ended with (the engine went away, the connection
            // broke); the caller words it as the engine's failure, with the step's log.
            return new Exit(true, wait.statusCode, wait.error != null ? wait.error : e);
        }
    }

    /** Runs a request, giving an error status the plugin's own type. */
    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (DockerException e) {
            throw ownType(e);
        }
    }

    private interface Await<T> {
        T get() throws InterruptedException;
    }

    /** Waits on a callback, which rethrows the error its stream ended with. */
    private static <T> T awaitCall(Await<T> await) throws InterruptedException {
        try {
            return await.get();
        } catch (DockerException e) {
            throw ownType(e);
        }
    }

    private static Refused ownType(DockerException e) {
        return e instanceof NotFoundException ? new NotFound(e) : new Refused(e);
    }

    private static final class WaitCallback extends ResultCallback.Adapter<WaitResponse> {
        volatile Integer statusCode;
        volatile Throwable error;

        @Override
        public void onNext(WaitResponse response) {
            statusCode = response.getStatusCode();
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            super.onError(throwable);
        }
    }
}
