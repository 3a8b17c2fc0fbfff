package dev.twoliter.engine.sdk;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.WaitResponse;
import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Tars;
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
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * The only place that talks to Docker. It uses the Docker client that Testcontainers builds,
 * but none of Testcontainers' container lifecycle: that would start the Ryuk reaper and probe
 * the network with helper images, which need a registry. Instead every container it creates is
 * labelled with its owner process, removed when its step ends (success, failure, timeout) or
 * when the JVM exits (Ctrl-C), and swept on the next connection if the owner was killed.
 */
public final class DockerEngine {
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
    private final Set<String> liveContainers = ConcurrentHashMap.newKeySet();

    private DockerEngine(String host, DockerClient client) {
        this.host = host;
        this.client = client;
    }

    /**
     * Connects to the engine at {@code host} (null: DOCKER_HOST, else the local socket), failing
     * fast with instructions if it does not answer.
     */
    public static DockerEngine connect(String host, BuildLog log) throws BuildEnvironmentException {
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
                engine = open(effectiveHost, log);
                ENGINES.put(effectiveHost, engine);
            }
            return engine;
        }
    }

    private static DockerEngine open(String host, BuildLog log) throws BuildEnvironmentException {
        DockerClient client;
        try {
            client = DockerClientProviderStrategy.getClientForConfig(
                    TransportConfig.builder().dockerHost(URI.create(host)).build());
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new BuildEnvironmentException("Docker is not reachable at " + host + " (" + rootMessage(e) + ")."
                    + " Start the Docker engine (for example `sudo systemctl start docker`, or `sudo dockerd &` on a"
                    + " machine without an init system) or set DOCKER_HOST to a running engine.", e);
        }
        DockerEngine engine = new DockerEngine(host, client);
        Runtime.getRuntime().addShutdownHook(new Thread(engine::removeLiveContainers, "twoliter-docker-cleanup"));
        engine.removeLeftovers(log);
        return engine;
    }

    /** Looks up a local SDK image; pulls it only when asked to. */
    public SdkImage sdkImage(String reference, boolean pullIfMissing, BuildLog log) throws BuildEnvironmentException {
        InspectImageResponse image;
        try {
            image = client.inspectImageCmd(reference).exec();
        } catch (NotFoundException e) {
            if (!pullIfMissing) {
                throw new BuildEnvironmentException("SDK image " + reference + " is not in the local Docker engine."
                        + " Build it with `sdk/build-offline.sh` from the twoliter-maven repository (no registry"
                        + " needed) or `docker build -t " + reference + " sdk/`, or set -Dtwoliter.sdkImage to an SDK"
                        + " image that follows docs/sdk-contract.md. Nothing is pulled unless you pass"
                        + " -Dtwoliter.pullSdk=true.");
            }
            image = pull(reference, log);
        } catch (RuntimeException e) {
            throw new BuildEnvironmentException("Cannot inspect SDK image " + reference + ": " + rootMessage(e), e);
        }
        Map<String, String> labels = image.getConfig() == null ? Map.of() : image.getConfig().getLabels();
        return SdkImage.fromLabels(reference, image.getId(), labels);
    }

    private InspectImageResponse pull(String reference, BuildLog log) throws BuildEnvironmentException {
        log.info("Pulling SDK image " + reference);
        try {
            client.pullImageCmd(reference).exec(new ResultCallback.Adapter<PullResponseItem>()).awaitCompletion();
            return client.inspectImageCmd(reference).exec();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildEnvironmentException("Interrupted while pulling SDK image " + reference, e);
        } catch (RuntimeException e) {
            throw new BuildEnvironmentException("Cannot pull SDK image " + reference + ": " + rootMessage(e), e);
        }
    }

    /** Runs one step in a fresh container and removes the container whatever happens. */
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

        String id = client.createContainerCmd(step.image().id())
                .withName(containerName)
                .withLabels(labels)
                .withEntrypoint("/bin/bash")
                .withCmd(SCRIPT_PATH)
                .withEnv(env)
                .withWorkingDir("/work")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withBinds(mounts(step)))
                .exec()
                .getId();
        liveContainers.add(id);
        try {
            copyInputs(id, step, scratchDir);
            client.startContainerCmd(id).exec();
            int exitCode = awaitExit(id, step);
            if (exitCode == 0 && step.outputPath() != null) {
                copyOutputs(id, step);
            }
            return new StepOutcome(exitCode, step.logFile());
        } finally {
            remove(id);
        }
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
            client.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(lines);
            WaitCallback wait = client.waitContainerCmd(id).exec(new WaitCallback());
            boolean finished = wait.awaitCompletion(step.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (finished) {
                // The log stream ends shortly after the container; wait so the log file is complete.
                lines.awaitCompletion(10, TimeUnit.SECONDS);
            }
            lines.flushPartialLines();
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

        @Override
        public void onNext(WaitResponse response) {
            statusCode = response.getStatusCode();
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
