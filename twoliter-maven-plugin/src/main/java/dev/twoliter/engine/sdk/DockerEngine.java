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
import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.net.Urls;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 * when the JVM exits (Ctrl-C), and swept on the next connection if the owner was killed.
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
    static final String STEP_LABEL = "dev.twoliter.step";
    private static final String SCRIPT_PATH = "/work/.twoliter-step.sh";

    static {
        // Testcontainers reports its client set-up at INFO; in a build log that is noise. Users can still
        // ask for it with -Dorg.slf4j.simpleLogger.log.org.testcontainers=info.
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.testcontainers", "warn");
    }

    /** One engine per Docker host and JVM: modules built in parallel share its connection and its cleanup. */
    private static final Map<String, DockerEngine> ENGINES = new ConcurrentHashMap<>();

    private final String host;
    private final DockerClient client;
    private final DockerClient streamingClient;
    private final DockerTimeouts timeouts;
    private final Terms terms;
    private final Set<String> liveContainers = ConcurrentHashMap.newKeySet();

    private DockerEngine(String host, DockerClient client, DockerClient streamingClient, DockerTimeouts timeouts,
            Terms terms) {
        this.host = host;
        this.client = client;
        this.streamingClient = streamingClient;
        this.timeouts = timeouts;
        this.terms = terms;
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

    private static DockerEngine open(String host, DockerTimeouts timeouts, Terms terms, BuildLog log)
            throws BuildEnvironmentException {
        URI uri = parseHost(host);
        // The ping gets only the connect timeout: a fast answer to "is there an engine at all".
        DockerClient ping = client(uri, timeouts.connect(), timeouts.connect());
        try {
            ping.pingCmd().exec();
        } catch (RuntimeException e) {
            DockerTimeouts pingTimeouts = new DockerTimeouts(timeouts.connect(), timeouts.connect(),
                    timeouts.connectSetting(), timeouts.connectSetting());
            throw new BuildEnvironmentException("Docker is not reachable at " + Urls.redact(host) + " (" + describe(e, pingTimeouts)
                    + "). Start the Docker engine (for example `sudo systemctl start docker`, or `sudo dockerd &` on a"
                    + " machine without an init system) or point the build at a running engine (DOCKER_HOST).", e);
        } finally {
            closeQuietly(ping);
        }
        DockerEngine engine = new DockerEngine(host, client(uri, timeouts.connect(), timeouts.read()),
                client(uri, timeouts.connect(), null), timeouts, terms);
        Runtime.getRuntime().addShutdownHook(new Thread(engine::removeLiveContainers, "twoliter-docker-cleanup"));
        engine.removeLeftovers(log);
        return engine;
    }

    private static URI parseHost(String host) throws BuildEnvironmentException {
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

    /** A client with its own connection pool; {@code readTimeout} null means none. */
    private static DockerClient client(URI host, Duration connectTimeout, Duration readTimeout) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString()).build();
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder().dockerHost(host)
                .maxConnections(64).connectionTimeout(connectTimeout);
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
        InspectImageResponse image;
        try {
            image = client.inspectImageCmd(reference).exec();
        } catch (NotFoundException e) {
            if (!pullIfMissing) {
                throw new BuildEnvironmentException("SDK image " + reference + " is not in the local Docker engine."
                        + " Build it with `sdk/build-offline.sh` from the twoliter-maven repository (no registry"
                        + " needed) or `docker build -t " + reference + " sdk/`, or set "
                        + terms.setting(Terms.Setting.SDK_IMAGE) + " to an SDK image that follows"
                        + " docs/sdk-contract.md. Nothing is pulled unless you pass "
                        + terms.setting(Terms.Setting.PULL_SDK) + ".");
            }
            image = pull(reference, log);
        } catch (RuntimeException e) {
            throw new BuildEnvironmentException("Cannot inspect SDK image " + reference + " at Docker " + Urls.redact(host) + ": "
                    + describe(e, timeouts), e);
        }
        Map<String, String> labels = image.getConfig() == null ? Map.of() : image.getConfig().getLabels();
        return SdkImage.fromLabels(reference, image.getId(), labels);
    }

    private InspectImageResponse pull(String reference, BuildLog log) throws BuildEnvironmentException {
        log.info("Pulling SDK image " + reference);
        try {
            streamingClient.pullImageCmd(reference).exec(new ResultCallback.Adapter<PullResponseItem>())
                    .awaitCompletion();
            return client.inspectImageCmd(reference).exec();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildEnvironmentException("Interrupted while pulling SDK image " + reference, e);
        } catch (RuntimeException e) {
            throw new BuildEnvironmentException("Cannot pull SDK image " + reference + " at Docker " + Urls.redact(host) + ": "
                    + describe(e, timeouts), e);
        }
    }

    /** Runs one step in a fresh container and removes the container whatever happens. */
    @Override
    public StepOutcome run(ContainerStep step, Path scratchDir) throws TwoliterException, IOException {
        Files.createDirectories(step.logFile().getParent());
        String containerName = "twoliter-" + step.name().replaceAll("[^a-zA-Z0-9_.-]", "-") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_LABEL, "true");
        labels.put(OWNER_LABEL, ownerId());
        labels.put(STEP_LABEL, step.name());
        List<String> env = new ArrayList<>();
        step.environment().forEach((k, v) -> env.add(k + "=" + v));

        String id;
        try {
            id = client.createContainerCmd(step.image().id())
                    .withName(containerName)
                    .withLabels(labels)
                    .withEntrypoint("/bin/bash")
                    .withCmd(SCRIPT_PATH)
                    .withEnv(env)
                    .withWorkingDir("/work")
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withBinds(mounts(step))
                            .withDevices(step.devices().stream().map(Device::parse).toList()))
                    .exec()
                    .getId();
        } catch (RuntimeException e) {
            throw failure("create the container for step '" + step.name() + "'", e);
        }
        liveContainers.add(id);
        try {
            try {
                copyInputs(id, step, scratchDir);
            } catch (RuntimeException e) {
                throw failure("copy the inputs of step '" + step.name() + "' into its container", e);
            }
            try {
                client.startContainerCmd(id).exec();
            } catch (DockerException e) {
                // The engine refuses to start a container whose entrypoint is missing with a 400/500.
                throw new BuildEnvironmentException("SDK image " + step.image().reference() + " cannot run step '"
                        + step.name() + "': Docker at " + Urls.redact(this.host) + " refused to start it (" + rootMessage(e) + "). An SDK"
                        + " image must provide /bin/bash and the tools listed in docs/sdk-contract.md.", e);
            } catch (RuntimeException e) {
                throw failure("start step '" + step.name() + "'", e);
            }
            int exitCode = awaitExit(id, step);
            if (exitCode == StepExit.SDK_TOOL_MISSING.code()) {
                throw new BuildEnvironmentException("SDK image " + step.image().reference() + " lacks a tool that step '"
                        + step.name() + "' needs: " + lastLineWith(step.logFile(), StepExit.SDK_TOOL_MISSING_MARKER)
                        + ". Use an SDK image that follows docs/sdk-contract.md. Full log: " + step.logFile());
            }
            if (exitCode == 0 && step.outputPath() != null) {
                try {
                    copyOutputs(id, step);
                } catch (RuntimeException e) {
                    throw failure("copy the outputs of step '" + step.name() + "' out of its container", e);
                }
            }
            return new StepOutcome(exitCode, step.logFile());
        } finally {
            remove(id);
        }
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
        return host.startsWith("unix://");
    }

    private List<Bind> mounts(ContainerStep step) {
        if (!sharesFileSystem()) {
            return List.of();
        }
        List<Bind> binds = new ArrayList<>();
        step.readOnlyDirectories().forEach((containerPath, hostDir) -> binds.add(
                new Bind(hostDir.toAbsolutePath().toString(), new Volume(containerPath), AccessMode.ro)));
        return binds;
    }

    private void copyInputs(String id, ContainerStep step, Path scratchDir) throws IOException {
        Files.createDirectories(scratchDir);
        Path script = Files.createTempFile(scratchDir, "step", ".sh");
        Path archive = Files.createTempFile(scratchDir, "inputs", ".tar");
        try {
            Files.writeString(script, step.script(), StandardCharsets.UTF_8);
            Map<String, Path> entries = new LinkedHashMap<>();
            step.inputs().forEach((containerPath, hostFile) -> entries.put(stripRoot(containerPath), hostFile));
            entries.put(stripRoot(SCRIPT_PATH), script);
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
            try (OutputStream out = Files.newOutputStream(archive)) {
                Tars.write(entries, Instant.EPOCH, out);
            }
            try (InputStream in = Files.newInputStream(archive)) {
                client.copyArchiveToContainerCmd(id).withTarInputStream(in).withRemotePath("/").exec();
            }
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(archive);
        }
    }

    private int awaitExit(String id, ContainerStep step) throws TwoliterException, IOException {
        try (BufferedWriter logWriter = Files.newBufferedWriter(step.logFile(), StandardCharsets.UTF_8);
                LineCollector lines = new LineCollector(logWriter, step)) {
            streamingClient.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(lines);
            WaitCallback wait = streamingClient.waitContainerCmd(id).exec(new WaitCallback());
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

    private void copyOutputs(String id, ContainerStep step) throws IOException {
        Files.createDirectories(step.outputDir());
        String base = step.outputPath().substring(step.outputPath().lastIndexOf('/') + 1);
        try (InputStream in = client.copyArchiveFromContainerCmd(id, step.outputPath()).exec()) {
            Tars.extract(in, base + "/", step.outputDir());
        }
    }

    private void remove(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            // The shutdown hook and the next build's sweep will try again.
            return;
        }
        liveContainers.remove(id);
    }

    private void removeLiveContainers() {
        for (String id : List.copyOf(liveContainers)) {
            remove(id);
        }
    }

    /** Removes containers left behind by builds of this machine whose process no longer runs. */
    private void removeLeftovers(BuildLog log) {
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
            if (owner != null && isDeadOwner(owner)) {
                remove(c.getId());
                removed++;
            }
        }
        if (removed > 0) {
            log.info("Removed " + removed + " container(s) left behind by an interrupted twoliter build");
        }
    }

    static String ownerId() {
        ProcessHandle self = ProcessHandle.current();
        long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return hostName() + "/" + self.pid() + "/" + started;
    }

    /** True if the owner ran on this machine and that process is gone (or the pid was reused). */
    static boolean isDeadOwner(String owner) {
        String[] parts = owner.split("/");
        if (parts.length != 3 || !parts[0].equals(hostName())) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            long started = Long.parseLong(parts[2]);
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            return process.isEmpty() || process.get().info().startInstant()
                    .map(i -> i.toEpochMilli() != started).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
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
