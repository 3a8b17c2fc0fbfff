package dev.twoliter.engine.sdk;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
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
import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.PhaseTimes;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.ProcessOwner;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.net.Urls;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.time.Duration;
import org.testcontainers.shaded.com.github.dockerjava.core.DefaultDockerClientConfig;
import org.testcontainers.shaded.com.github.dockerjava.core.DockerClientImpl;

/**
 * The only place that talks to Docker. It uses the docker-java client that Testcontainers ships,
 * but none of Testcontainers' container lifecycle: that would start the Ryuk reaper and probe
 * the network with helper images, which need a registry. Instead every container it creates is
 * labelled with its owner process, removed when its step ends (success, failure, timeout) or
 * when the JVM exits (Ctrl-C), and swept by the next build that starts a container if the owner
 * was killed.
 *
 * <p>What a step costs beyond its own work is kept small without giving up a fresh root per step
 * (docs/architecture.md, "How a step meets Docker"): an up-to-date build asks the local socket
 * directly and never loads the client; containers are started ahead of their step ({@link
 * WarmContainers}), join a sandbox's empty network namespace ({@link Sandboxes}) and, on a local
 * engine, exchange files through a mounted directory ({@link StepExchange}) instead of archives.
 *
 * <p>The client is built here on docker-java's own HTTP transport rather than through
 * Testcontainers' factory, because only that way can every call have a connect and a read
 * timeout: an endpoint that accepts connections and never answers must fail the build, not hang
 * it. Two clients share the engine: one with a read timeout for API calls, one without for the
 * calls that legitimately stay silent for as long as a step runs (waiting for its exit, following
 * its log), which the step timeout bounds instead.
 */
public final class DockerEngine implements SdkContainers {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    static final String MANAGED_LABEL = "dev.twoliter.managed";
    static final String OWNER_LABEL = "dev.twoliter.owner";
    static final String SCRIPT_PATH = "/work/.twoliter-step.sh";

    static {
        // Testcontainers reports its client set-up at INFO; in a build log that is noise. Users can still
        // ask for it with -Dorg.slf4j.simpleLogger.log.org.testcontainers=info.
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.testcontainers", "warn");
    }

    /** One engine per Docker host and JVM: modules built in parallel share its connection and its cleanup. */
    private static final Map<String, DockerEngine> ENGINES = new ConcurrentHashMap<>();

    /**
     * A started container waits for this file before it runs its step: the inputs arrive first, in
     * the same archive, and the marker is the archive's last entry.
     */
    static final String GO_MARKER = "/work/.twoliter-go";
    static final String ENV_FILE = "/work/.twoliter-env";
    /** Where a container on a local engine finds its exchange directory (see {@link StepExchange}). */
    static final String EXCHANGE_PATH = "/work/.twoliter-exchange";
    /** The wrapper's exit code when moving files through the exchange directory failed. */
    static final int EXCHANGE_FAILED = 125;

    private static final String WRAPPER = StepScripts.resource(DockerEngine.class, "step-wrapper.sh");

    /**
     * A started step container; {@code sandbox} is the container whose empty network namespace it
     * shares (null: its own), {@code exchange} its exchange directory on this machine (null: files
     * travel through the API).
     */
    record StepContainer(String id, String sandbox, StepExchange exchange) {}


    private record Clients(DockerClient api, DockerClient streaming) {}

    private final String host;
    private final DockerTimeouts timeouts;
    private final Terms terms;
    /** The local socket for the calls of an up-to-date build; null for a remote engine. */
    private final LocalDockerSocket localSocket;
    /** Where the client connects and where it reports the leftovers it sweeps. */
    private final URI uri;
    private final BuildLog log;
    /** Null until a container is needed: docker-java costs half a second of class loading. */
    private volatile Clients clients;
    private final Set<String> liveContainers = ConcurrentHashMap.newKeySet();
    private final CreationGate creations = new CreationGate();
    private final WarmContainers<StepContainer> warm = new WarmContainers<>(this::remove);
    private final Sandboxes sandboxes = new Sandboxes(java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "twoliter-network-sandboxes");
        t.setDaemon(true);
        return t;
    }));
    /** Null until the first step shows whether the engine sees this machine's files at the same paths. */
    private volatile Boolean exchangeWorks;
    /**
     * Set when a unix:// engine turned out not to see this machine's files (a remote engine's socket
     * forwarded over SSH, Docker outside of Docker): kits then travel as archives too, since a mount
     * would show the engine's own, empty directory.
     */
    private volatile boolean filesElsewhere;
    private volatile Path exchangeRoot;
    /** TLS for a tcp:// engine (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH); null for plain HTTP and sockets. */
    private final SSLConfig tls;
    /** For {@link #usage()}: steps that got a container here, and their time from start or take to exit. */
    private final AtomicInteger stepsRun = new AtomicInteger();
    private final AtomicLong nanosInContainers = new AtomicLong();

    private DockerEngine(String host, URI uri, SSLConfig tls, DockerTimeouts timeouts,
            Terms terms, LocalDockerSocket localSocket, BuildLog log) {
        this.host = host;
        this.uri = uri;
        this.tls = tls;
        this.timeouts = timeouts;
        this.terms = terms;
        this.localSocket = localSocket;
        this.log = log;
    }

    /**
     * Connects to the engine at {@code host} (null: DOCKER_HOST, else the local socket), failing
     * fast with instructions if it does not answer.
     */
    public static DockerEngine connect(String host, BuildLog log) throws BuildEnvironmentException {
        return connect(host, DockerTimeouts.DEFAULTS, Terms.PLAIN, log);
    }

    /**
     * Connects with the given timeouts; the first connection to a host in this JVM decides them for
     * every module built in it.
     */
    public static DockerEngine connect(String host, DockerTimeouts timeouts, Terms terms, BuildLog log)
            throws BuildEnvironmentException {
        String effectiveHost = Optional.ofNullable(host).filter(h -> !h.isBlank())
                .or(() -> Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(h -> !h.isBlank()))
                .orElse(DEFAULT_HOST);
        DockerEngine engine = ENGINES.get(effectiveHost);
        if (engine != null) {
            return engine;
        }
        synchronized (ENGINES) {
            engine = ENGINES.get(effectiveHost);
            if (engine == null) {
                engine = open(effectiveHost, timeouts, terms, log);
                ENGINES.put(effectiveHost, engine);
            }
            return engine;
        }
    }

    /** An engine of its own, not shared through {@link #connect}; for tests that change how it moves files. */
    static DockerEngine open(String host, DockerTimeouts timeouts, Terms terms, BuildLog log)
            throws BuildEnvironmentException {
        URI uri = parseHost(host);
        DockerTimeouts pingTimeouts = new DockerTimeouts(timeouts.connect(), timeouts.connect(),
                timeouts.connectSetting(), timeouts.connectSetting());
        DockerEngine engine;
        if (uri.getScheme().equals("unix")) {
            // The ping gets only the connect timeout: a fast answer to "is there an engine at all".
            LocalDockerSocket socket = new LocalDockerSocket(Path.of(uri.getPath()), timeouts);
            try {
                LocalDockerSocket.Response pong = new LocalDockerSocket(Path.of(uri.getPath()), pingTimeouts).get("/_ping");
                if (pong.status() != 200) {
                    throw new IOException("it answered HTTP " + pong.status() + " to a ping");
                }
            } catch (IOException | RuntimeException e) {
                throw notReachable(host, e, pingTimeouts);
            }
            // Only builds that run a container load docker-java (clients()).
            engine = new DockerEngine(host, uri, null, timeouts, terms, socket, log);
        } else {
            SSLConfig tls = tls(uri, System.getenv(),
                    Path.of(System.getProperty("user.home")));
            DockerClient ping = client(uri, tls, timeouts.connect(), timeouts.connect());
            try {
                ping.pingCmd().exec();
            } catch (RuntimeException e) {
                throw notReachable(host, e, pingTimeouts);
            } finally {
                closeQuietly(ping);
            }
            engine = new DockerEngine(host, uri, tls, timeouts, terms, null, log);
            engine.clients = engine.openClients();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(engine::removeLiveContainers, "twoliter-docker-cleanup"));
        return engine;
    }

    private static BuildEnvironmentException notReachable(String host, Exception e, DockerTimeouts pingTimeouts) {
        return new BuildEnvironmentException("Docker is not reachable at " + Urls.redact(host) + " (" + describe(e, pingTimeouts)
                + "). Start the Docker engine (for example `sudo systemctl start docker`, or `sudo dockerd &` on a"
                + " machine without an init system) or point the build at a running engine (DOCKER_HOST).", e);
    }

    private Clients openClients() {
        Clients opened = new Clients(client(uri, tls, timeouts.connect(), timeouts.read()),
                client(uri, tls, timeouts.connect(), null));
        removeLeftovers(opened.api(), log);
        return opened;
    }

    /** The docker-java clients, loading them on first use; a failed load is tried again next time. */
    private Clients clients() throws BuildEnvironmentException {
        Clients loaded = clients;
        if (loaded == null) {
            synchronized (this) {
                if (clients == null) {
                    try {
                        clients = openClients();
                    } catch (RuntimeException e) {
                        throw new BuildEnvironmentException("Could not set up the Docker client for "
                                + Urls.redact(host) + ": " + describe(e, timeouts), e);
                    }
                }
                loaded = clients;
            }
        }
        return loaded;
    }

    /** Moves step files through the API even where an exchange directory would work (what a remote engine does). */
    void useArchives() {
        exchangeWorks = false;
    }

    /** How many containers to start ahead of the steps that will use them (0: none); one per build thread. */
    public void keepWarm(int containers) {
        warm.keep(Math.min(containers, 16));
    }

    static URI parseHost(String host) throws BuildEnvironmentException {
        if (host.regionMatches(true, 0, "ssh://", 0, "ssh://".length())) {
            // docker-java's transports speak HTTP over a socket or TCP; none of them runs ssh.
            throw new BuildEnvironmentException("Docker host " + dev.twoliter.engine.Syntax.show(Urls.redact(host))
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
            throw new BuildEnvironmentException("Docker host " + dev.twoliter.engine.Syntax.show(Urls.redact(host))
                    + " is not a Docker endpoint URL (unix:///var/run/docker.sock or tcp://host:port): "
                    + e.getReason() + ".");
        }
    }

    /**
     * TLS for a tcp:// engine as the environment asks ({@link DockerTls}), its files read now with
     * docker-java so that a bad one fails here, naming the engine and the directory; null for none.
     */
    static SSLConfig tls(URI host, Map<String, String> environment, Path home)
            throws BuildEnvironmentException {
        Path certificates = DockerTls.certificates(host, environment, home);
        if (certificates == null) {
            return null;
        }
        String engine = Urls.redact(host.toString());
        String where = DockerTls.describe(certificates, environment);
        SSLContext context;
        try {
            SSLConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(host.toString())
                    .withDockerTlsVerify(true)
                    .withDockerCertPath(certificates.toString())
                    .build()
                    .getSSLConfig();
            context = config == null ? null : config.getSSLContext();
        } catch (Exception e) {
            throw new BuildEnvironmentException("Docker engine " + engine + ": cannot read the TLS certificates in "
                    + where + " (" + rootMessage(e) + "). ca.pem, cert.pem and key.pem must be PEM files as"
                    + " `docker --tlsverify` reads them.", e);
        }
        if (context == null) {
            throw new BuildEnvironmentException("Docker engine " + engine + ": docker-java found no TLS certificates in "
                    + where + "; it needs ca.pem, cert.pem and key.pem.");
        }
        SSLContext loaded = context;
        return () -> loaded;
    }

    /**
     * A client with its own connection pool; {@code tls} null means plain HTTP (or a socket),
     * {@code readTimeout} null means none.
     */
    private static DockerClient client(URI host, SSLConfig tls,
            Duration connectTimeout, Duration readTimeout) {
        // TLS is decided by DockerTls alone: the environment's DOCKER_TLS_VERIFY must not make docker-java
        // look for certificates of a unix socket.
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString()).withDockerTlsVerify(false).build();
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder().dockerHost(host)
                .sslConfig(tls).maxConnections(64).connectionTimeout(connectTimeout);
        if (readTimeout != null) {
            http.responseTimeout(readTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            // nothing to release that matters
        }
    }

    /** Says why a Docker call failed, naming the timeout that expired when one did. */
    static String describe(Throwable e, DockerTimeouts timeouts) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                String what = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect")
                        ? "no connection within " + timeouts.connect().toSeconds() + " s (" + timeouts.connectSetting()
                                + ")"
                        : "no answer within " + timeouts.read().toSeconds() + " s (" + timeouts.readSetting() + ")";
                return what;
            }
        }
        return rootMessage(e);
    }

    /** Looks up a local SDK image; pulls it only when asked to. */
    @Override
    public SdkImage sdkImage(String reference, boolean pullIfMissing, BuildLog log) throws BuildEnvironmentException {
        if (!SdkImage.isReference(reference)) {
            throw new BuildEnvironmentException("SDK image " + dev.twoliter.engine.Syntax.show(reference)
                    + " is not a Docker image reference (name[:tag] or name@sha256:digest).");
        }
        Optional<SdkImage> found = inspect(reference);
        if (found.isPresent()) {
            return found.get();
        }
        if (!pullIfMissing) {
            throw new SdkImageMissingException("SDK image " + reference + " is not in the local Docker engine."
                    + " Build it with `sdk/build-offline.sh` from the twoliter-maven repository (no registry"
                    + " needed) or `docker build -t " + reference + " sdk/`, or set "
                    + terms.setting(Terms.Setting.SDK_IMAGE) + " to an SDK image that follows"
                    + " docs/sdk-contract.md. Nothing is pulled unless you pass "
                    + terms.setting(Terms.Setting.PULL_SDK) + ".");
        }
        pull(reference, log);
        return inspect(reference).orElseThrow(() -> new BuildEnvironmentException("SDK image " + reference
                + " is still not in Docker at " + Urls.redact(host) + " after pulling it."));
    }

    /** The image's id and contract labels; empty if the engine does not have it. */
    private Optional<SdkImage> inspect(String reference) throws BuildEnvironmentException {
        Map<String, String> labels;
        String id;
        if (localSocket != null) {
            try {
                // The reference was checked against the reference grammar: nothing in it needs escaping.
                LocalDockerSocket.Response answer = localSocket.get("/images/" + reference + "/json");
                if (answer.status() == 404) {
                    return Optional.empty();
                }
                if (answer.status() != 200) {
                    throw new IOException("HTTP " + answer.status() + ": " + dev.twoliter.engine.Syntax.show(
                            answer.text().length() > 200 ? answer.text().substring(0, 200) : answer.text()));
                }
                ImageJson.Facts facts = ImageJson.parse(answer.body());
                id = facts.id();
                labels = facts.labels();
            } catch (IOException | RuntimeException e) {
                throw new BuildEnvironmentException("Cannot inspect SDK image " + reference + " at Docker "
                        + Urls.redact(host) + ": " + describe(e, timeouts), e);
            }
        } else {
            InspectImageResponse image;
            try {
                image = clients().api().inspectImageCmd(reference).exec();
            } catch (NotFoundException e) {
                return Optional.empty();
            } catch (RuntimeException e) {
                throw new BuildEnvironmentException("Cannot inspect SDK image " + reference + " at Docker "
                        + Urls.redact(host) + ": " + describe(e, timeouts), e);
            }
            id = image.getId();
            labels = image.getConfig() == null ? Map.of() : image.getConfig().getLabels();
        }
        return Optional.of(SdkImage.fromLabels(reference, id, labels));
    }

    private void pull(String reference, BuildLog log) throws BuildEnvironmentException {
        log.info("Pulling SDK image " + reference);
        try {
            clients().streaming().pullImageCmd(reference).exec(new ResultCallback.Adapter<PullResponseItem>())
                    .awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildEnvironmentException("Interrupted while pulling SDK image " + reference, e);
        } catch (RuntimeException e) {
            throw new BuildEnvironmentException("Cannot pull SDK image " + reference + " at Docker " + Urls.redact(host) + ": "
                    + describe(e, timeouts), e);
        }
    }

    /**
     * Runs one step in a fresh container and removes the container whatever happens. The container
     * may have been started ahead of time ({@link WarmContainers}); it has run nothing before.
     */
    @Override
    public StepOutcome run(ContainerStep step, Path scratchDir) throws TwoliterException, IOException {
        Files.createDirectories(step.logFile().getParent());
        PhaseTimes times = new PhaseTimes();
        Clients docker = clients();
        times.lap("client");
        String name = containerName(step.name());
        long containerFrom = System.nanoTime();
        Optional<StepContainer> spare = warm.take(shape(step));
        StepContainer container;
        if (spare.isPresent()) {
            container = spare.get();
            rename(docker, container.id(), name);
            times.lap("started ahead");
        } else {
            container = createAndStart(docker, shape(step), name, step);
            times.lap("create and start");
        }
        long exited = 0;
        int exitCode;
        try {
            if (container.exchange() != null && exchangeWorks == null) {
                exchangeWorks = container.exchange().awaitReady(Duration.ofSeconds(10));
                if (!exchangeWorks) {
                    filesElsewhere = true;
                    step.logSink().accept("twoliter: Docker at " + Urls.redact(host) + " does not see this machine's"
                            + " files at the same paths; step files travel through the Docker API instead");
                    remove(container);
                    container = createAndStart(docker, shape(step), name, step);
                }
            }
            // After the check above: once the engine turned out not to see this machine's files, no mounts.
            WarmContainers.Shape shape = shape(step);
            warm.refill(shape, () -> createAndStart(docker, shape, containerName("spare"), null));
            try {
                sendInputs(docker, container, step, scratchDir);
            } catch (RuntimeException e) {
                throw failure("copy the inputs of step '" + step.name() + "' into its container", e);
            }
            times.lap("copy in");
            exitCode = awaitExit(docker, container.id(), step);
            exited = System.nanoTime();
            times.lap("run");
            if (exitCode == EXCHANGE_FAILED && container.exchange() != null && container.exchange().failure().isPresent()) {
                throw new BuildEnvironmentException("Step '" + step.name() + "' could not move its files through "
                        + container.exchange().directory() + ": " + container.exchange().failure().get()
                        + ". Full log: " + step.logFile());
            }
            if (exitCode == StepExit.SDK_TOOL_MISSING.code()) {
                throw new BuildEnvironmentException("SDK image " + step.image().reference() + " lacks a tool that step '"
                        + step.name() + "' needs: " + lastLineWith(step.logFile(), StepExit.SDK_TOOL_MISSING_MARKER)
                        + ". Use an SDK image that follows docs/sdk-contract.md. Full log: " + step.logFile());
            }
            if (exitCode == 0 && step.outputPath() != null) {
                try {
                    receiveOutputs(docker, container, step);
                } catch (RuntimeException | IOException e) {
                    throw new BuildEnvironmentException("Could not copy the outputs of step '" + step.name()
                            + "' out of its container: " + describe(e, timeouts) + ".", e);
                }
                times.lap("copy out");
            }
        } finally {
            stepsRun.incrementAndGet();
            nanosInContainers.addAndGet((exited == 0 ? System.nanoTime() : exited) - containerFrom);
            remove(container);
        }
        times.lap("remove");
        return new StepOutcome(exitCode, step.logFile(), times.render());
    }

    /** This engine's steps and their time in containers since the JVM connected to it. */
    @Override
    public List<EngineUsage> usage() {
        return List.of(new EngineUsage(Urls.redact(host), stepsRun.get(), Duration.ofNanos(nanosInContainers.get())));
    }

    private static String containerName(String stepName) {
        return "twoliter-" + stepName.replaceAll("[^a-zA-Z0-9_.-]", "-") + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private WarmContainers.Shape shape(ContainerStep step) {
        java.util.SortedMap<String, Path> mounts = new java.util.TreeMap<>();
        if (sharesFileSystem()) {
            step.readOnlyDirectories().forEach((containerPath, hostDir) -> mounts.put(containerPath, hostDir.toAbsolutePath()));
        }
        return new WarmContainers.Shape(step.image().id(), mounts, List.copyOf(step.devices()));
    }

    /**
     * Creates a labelled, network-less container of {@code shape} and starts it: it waits for a step.
     * {@code step} names the step in errors; null for a spare, whose errors only stop further spares.
     */
    private StepContainer createAndStart(Clients docker, WarmContainers.Shape shape, String name, ContainerStep step)
            throws TwoliterException, IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_LABEL, "true");
        labels.put(OWNER_LABEL, ProcessOwner.self());
        List<Bind> binds = new ArrayList<>();
        shape.readOnlyMounts().forEach((containerPath, hostDir) -> binds.add(
                new Bind(hostDir.toString(), new Volume(containerPath), AccessMode.ro)));
        StepExchange exchange = null;
        if (sharesFileSystem() && !Boolean.FALSE.equals(exchangeWorks)) {
            try {
                exchange = StepExchange.create(exchangeRoot(), name);
                binds.add(new Bind(exchange.directory().toString(), new Volume(EXCHANGE_PATH), AccessMode.rw));
            } catch (IOException e) {
                // No place for exchange directories: files travel through the API, as for a remote engine.
                exchangeWorks = false;
            }
        }
        String sandbox = sandboxes.lease(() -> startSandbox(docker, shape.imageId()));
        String what = step == null ? "a container for the next step" : "the container for step '" + step.name() + "'";
        String id;
        if (!creations.enter()) {
            if (exchange != null) {
                exchange.delete();
            }
            sandboxes.release(sandbox);
            throw stopping(what);
        }
        try {
            id = docker.api().createContainerCmd(shape.imageId())
                    .withName(name)
                    .withLabels(labels)
                    .withEntrypoint("/bin/bash", "-c", WRAPPER)
                    .withCmd(List.of())
                    .withEnv(exchange == null ? List.of() : List.of("TWOLITER_EXCHANGE=" + EXCHANGE_PATH))
                    .withStdinOpen(true)
                    .withWorkingDir("/work")
                    .withHostConfig(HostConfig.newHostConfig()
                            .withNetworkMode(sandbox == null ? "none" : "container:" + sandbox).withBinds(binds)
                            .withDevices(shape.devices().stream().map(Device::parse).toList()))
                    .exec()
                    .getId();
            liveContainers.add(id);
        } catch (RuntimeException e) {
            if (exchange != null) {
                exchange.delete();
            }
            if (sandbox != null) {
                return withoutSandbox(sandbox, docker, shape, name, step);
            }
            throw failure("create " + what, e);
        } finally {
            creations.exit();
        }
        StepContainer container = new StepContainer(id, sandbox, exchange);
        try {
            docker.api().startContainerCmd(id).exec();
            return container;
        } catch (DockerException e) {
            remove(container);
            if (sandbox != null && !isRunning(docker, sandbox)) {
                return withoutSandbox(sandbox, docker, shape, name, step);
            }
            // The engine refuses to start a container whose entrypoint is missing with a 400/500.
            String stepName = step == null ? "a step" : "step '" + step.name() + "'";
            String reference = step == null ? shape.imageId() : step.image().reference();
            throw new BuildEnvironmentException("SDK image " + reference + " cannot run " + stepName + ": Docker at "
                    + Urls.redact(this.host) + " refused to start it (" + rootMessage(e) + "). An SDK image must"
                    + " provide /bin/bash and the tools listed in docs/sdk-contract.md.", e);
        } catch (RuntimeException e) {
            remove(container);
            throw failure("start " + what, e);
        }
    }

    /**
     * A container that only holds an empty network namespace (loopback, no interfaces) for step
     * containers to join: creating and tearing down a namespace per step costs the engine about
     * 0.1 s. One step at a time uses a sandbox ({@link Sandboxes}), so steps never share one while
     * they run; null if the sandbox cannot be started (steps then get a namespace of their own).
     */
    private String startSandbox(Clients docker, String imageId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_LABEL, "true");
        labels.put(OWNER_LABEL, ProcessOwner.self());
        String id = null;
        if (!creations.enter()) {
            return null;
        }
        try {
            try {
                id = docker.api().createContainerCmd(imageId)
                        .withName(containerName("network-sandbox"))
                        .withLabels(labels)
                        .withEntrypoint("/bin/bash", "-c", "read -r _")
                        .withCmd(List.of())
                        .withStdinOpen(true)
                        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                        .exec()
                        .getId();
                liveContainers.add(id);
            } finally {
                creations.exit();
            }
            docker.api().startContainerCmd(id).exec();
            return id;
        } catch (RuntimeException e) {
            if (id != null) {
                remove(id);
            }
            return null;
        }
    }

    /** A sandbox that died (or an engine that cannot share namespaces): this and later steps get their own. */
    private StepContainer withoutSandbox(String sandbox, Clients docker, WarmContainers.Shape shape, String name,
            ContainerStep step) throws TwoliterException, IOException {
        sandboxes.discard(sandbox);
        remove(sandbox);
        return createAndStart(docker, shape, name, step);
    }

    private static boolean isRunning(Clients docker, String id) {
        try {
            return Boolean.TRUE.equals(docker.api().inspectContainerCmd(id).exec().getState().getRunning());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Gives a container started ahead of time its step's name, for `docker ps`; cosmetic, so failures are ignored. */
    private static void rename(Clients docker, String id, String name) {
        try {
            docker.api().renameContainerCmd(id).withName(name).exec();
        } catch (RuntimeException e) {
            // the container keeps its spare's name
        }
    }

    /** This engine's directory of exchange directories, made on first use; leftovers of killed builds are swept then. */
    private Path exchangeRoot() throws IOException {
        Path root = exchangeRoot;
        if (root == null) {
            synchronized (this) {
                root = exchangeRoot;
                if (root == null) {
                    Path base = StepExchange.baseDirectory();
                    dev.twoliter.engine.io.Temporaries.sweep(base);
                    root = dev.twoliter.engine.io.Temporaries.newDirectory(base, "exchange");
                    exchangeRoot = root;
                }
            }
        }
        return root;
    }

    private BuildEnvironmentException stopping(String what) {
        return new BuildEnvironmentException("Did not start " + what + " on Docker at " + Urls.redact(host)
                + ": the build is stopping (interrupted), and its containers are being removed.");
    }

    private BuildEnvironmentException failure(String action, RuntimeException e) {
        return new BuildEnvironmentException("Could not " + action + ": Docker at " + Urls.redact(host) + " failed ("
                + describe(e, timeouts) + ").", e);
    }

    private static String lastLineWith(Path logFile, String marker) {
        String found = "see the log";
        try {
            for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
                int at = line.indexOf(marker);
                if (at >= 0) {
                    found = line.substring(at + marker.length()).trim();
                }
            }
        } catch (IOException e) {
            // the message still points at the log
        }
        return found;
    }

    /** A local engine mounts read-only directories; a remote one cannot see this file system. */
    private boolean sharesFileSystem() {
        return host.startsWith("unix://") && !filesElsewhere;
    }

    /**
     * Hands the step its files and starts it: through the exchange directory when there is one,
     * else streamed into the waiting container as one archive whose last entry starts the step.
     */
    private void sendInputs(Clients docker, StepContainer container, ContainerStep step, Path scratchDir)
            throws IOException, TwoliterException {
        Map<String, Path> entries = new LinkedHashMap<>();
        step.inputs().forEach((containerPath, hostFile) -> entries.put(stripRoot(containerPath), hostFile));
        if (container.exchange() != null) {
            container.exchange().send(entries, step.script(), environmentFile(step), step.outputPath());
            return;
        }
        Files.createDirectories(scratchDir);
        Path script = Files.createTempFile(scratchDir, "step", ".sh");
        Path environment = Files.createTempFile(scratchDir, "step", ".env");
        try {
            Files.writeString(script, step.script(), StandardCharsets.UTF_8);
            Files.writeString(environment, environmentFile(step), StandardCharsets.UTF_8);
            entries.put(stripRoot(SCRIPT_PATH), script);
            entries.put(stripRoot(ENV_FILE), environment);
            if (!sharesFileSystem()) {
                for (Map.Entry<String, Path> dir : step.readOnlyDirectories().entrySet()) {
                    try (var files = Files.walk(dir.getValue())) {
                        for (Path file : files.filter(Files::isRegularFile).toList()) {
                            entries.put(stripRoot(dir.getKey()) + "/" + dir.getValue().relativize(file).toString()
                                    .replace('\\', '/'), file);
                        }
                    }
                }
            }
            // Written by a second thread straight into the request: no temporary copy of large inputs.
            java.io.PipedInputStream in = new java.io.PipedInputStream(1 << 16);
            java.io.PipedOutputStream out = new java.io.PipedOutputStream(in);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (out) {
                    Tars.write(entries, Instant.EPOCH, stripRoot(GO_MARKER), out);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, ARCHIVE_WRITERS);
            try (in) {
                docker.api().copyArchiveToContainerCmd(container.id()).withTarInputStream(in).withRemotePath("/").exec();
            }
            try {
                writer.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof java.io.UncheckedIOException io) {
                    throw io.getCause();
                }
                throw e;
            }
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(environment);
        }
    }

    private static final java.util.concurrent.Executor ARCHIVE_WRITERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "twoliter-archive-writer");
        t.setDaemon(true);
        return t;
    });

    /** NAME=value entries, each ended by NUL: the only byte no environment value can hold. */
    static String environmentFile(ContainerStep step) throws TwoliterException {
        StringBuilder file = new StringBuilder();
        for (Map.Entry<String, String> variable : step.environment().entrySet()) {
            if (!dev.twoliter.engine.Syntax.isEnvironmentName(variable.getKey()) || variable.getValue().indexOf('\0') >= 0) {
                throw new TwoliterException("Step '" + step.name() + "' has an environment variable that cannot be"
                        + " passed to a process: " + dev.twoliter.engine.Syntax.show(variable.getKey()));
            }
            file.append(variable.getKey()).append('=').append(variable.getValue()).append('\0');
        }
        return file.toString();
    }

    private int awaitExit(Clients docker, String id, ContainerStep step) throws TwoliterException, IOException {
        try (BufferedWriter logWriter = Files.newBufferedWriter(step.logFile(), StandardCharsets.UTF_8);
                LineCollector lines = new LineCollector(logWriter, step)) {
            docker.streaming().logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(lines);
            WaitCallback wait = docker.streaming().waitContainerCmd(id).exec(new WaitCallback());
            boolean finished = wait.awaitCompletion(step.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (finished) {
                // The log stream ends shortly after the container; wait so the log file is complete.
                lines.awaitCompletion(10, TimeUnit.SECONDS);
            }
            lines.flushPartialLines();
            if (finished && wait.statusCode == null && wait.error != null) {
                throw new BuildEnvironmentException("Docker at " + Urls.redact(host) + " failed while step '" + step.name()
                        + "' was running (" + describe(wait.error, timeouts) + "). Full log: " + step.logFile(),
                        wait.error);
            }
            if (!finished || wait.statusCode == null) {
                throw new TwoliterException("Step '" + step.name() + "' did not finish within " + step.timeout()
                        .toMinutes() + " minutes and was stopped. Full log: " + step.logFile());
            }
            return wait.statusCode;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwoliterException("Interrupted while step '" + step.name() + "' was running", e);
        }
    }

    private void receiveOutputs(Clients docker, StepContainer container, ContainerStep step) throws IOException {
        Files.createDirectories(step.outputDir());
        if (container.exchange() != null) {
            container.exchange().receive(step.outputPath(), step.outputDir());
            return;
        }
        String base = step.outputPath().substring(step.outputPath().lastIndexOf('/') + 1);
        try (InputStream in = docker.api().copyArchiveFromContainerCmd(container.id(), step.outputPath()).exec()) {
            Tars.extract(in, base + "/", step.outputDir());
        }
    }

    private void remove(StepContainer container) {
        remove(container.id());
        sandboxes.release(container.sandbox());
        if (container.exchange() != null) {
            container.exchange().delete();
        }
    }

    private void remove(String id) {
        Clients docker = clients;
        if (docker == null) {
            return;
        }
        try {
            docker.api().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            // The shutdown hook and the next build's sweep will try again.
            return;
        }
        liveContainers.remove(id);
    }

    private void removeLiveContainers() {
        // A create request already sent still makes its container: wait for its answer (bounded by
        // the connect timeout, which a healthy engine's create is far below) so it is removed too.
        creations.closeAndAwait(timeouts.connect());
        // Spares are live containers too; their exchange directories go with the root below. Side by
        // side: each removal of a running container costs the engine a kill and a wait.
        warm.close();
        List.copyOf(liveContainers).parallelStream().forEach(this::remove);
        Path root = exchangeRoot;
        if (root != null) {
            try {
                dev.twoliter.engine.io.AtomicFiles.deleteTree(root);
            } catch (IOException e) {
                // the next build sweeps it
            }
        }
    }

    /** Removes containers left behind by builds of this machine whose process no longer runs. */
    private void removeLeftovers(DockerClient client, BuildLog log) {
        List<Container> managed;
        try {
            managed = client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(MANAGED_LABEL, "true")).exec();
        } catch (RuntimeException e) {
            log.debug("Could not list leftover containers: " + rootMessage(e));
            return;
        }
        int removed = 0;
        for (Container c : managed) {
            String owner = c.getLabels() == null ? null : c.getLabels().get(OWNER_LABEL);
            if (owner != null && ProcessOwner.isDeadLabel(owner)) {
                try {
                    client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                    removed++;
                } catch (RuntimeException e) {
                    log.debug("Could not remove leftover container " + c.getId() + ": " + rootMessage(e));
                }
            }
        }
        if (removed > 0) {
            log.info("Removed " + removed + " container(s) left behind by an interrupted twoliter build");
        }
    }

    private static String stripRoot(String containerPath) {
        if (!containerPath.startsWith("/")) {
            throw new IllegalArgumentException("Container paths must be absolute: " + containerPath);
        }
        return containerPath.substring(1);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    public String host() {
        return host;
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

    /** Splits the container's output into lines for the log file and the build log. */
    private static final class LineCollector extends ResultCallback.Adapter<Frame> {
        private final BufferedWriter writer;
        private final ContainerStep step;
        private final StringBuilder partial = new StringBuilder();

        LineCollector(BufferedWriter writer, ContainerStep step) {
            this.writer = writer;
            this.step = step;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            partial.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            for (int nl; (nl = partial.indexOf("\n")) >= 0; ) {
                emit(partial.substring(0, nl));
                partial.delete(0, nl + 1);
            }
        }

        synchronized void flushPartialLines() {
            if (partial.length() > 0) {
                emit(partial.toString());
                partial.setLength(0);
            }
        }

        private void emit(String line) {
            try {
                writer.write(line);
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                // The build log still shows the line; the file is best effort.
            }
            step.logSink().accept(line);
        }
    }
}
