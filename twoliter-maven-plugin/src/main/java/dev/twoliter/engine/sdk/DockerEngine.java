package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.net.Urls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The Docker engine as builds see it: one per Docker host and JVM, so that modules built in parallel
 * share its connection, its spare containers and its cleanup. The work is done by the classes it
 * wires together (docs/architecture.md, "How a step meets Docker"): {@link DockerConnection}
 * reaches the engine, {@link SdkImageLookup} finds the SDK image, {@link ContainerLauncher} makes
 * the containers, {@link StepRunner} runs a step in one, and {@link ContainerReaper} sees that none
 * outlives the build. Only {@link DockerJavaApi} talks to docker-java.
 */
public final class DockerEngine implements SdkContainers {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private static final Map<String, DockerEngine> ENGINES = new ConcurrentHashMap<>();

    private final DockerConnection connection;
    private final FileSharing files;
    private final ContainerReaper reaper;
    private final ContainerLauncher launcher;
    private final SdkImageLookup images;
    private final StepRunner steps;

    private DockerEngine(DockerConnection connection, Terms terms) {
        this.connection = connection;
        this.files = new FileSharing(connection.host());
        this.reaper = new ContainerReaper(connection);
        this.launcher = new ContainerLauncher(connection, files, reaper, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "twoliter-network-sandboxes");
            t.setDaemon(true);
            return t;
        }));
        this.images = new SdkImageLookup(connection, terms);
        this.steps = new StepRunner(connection, files, launcher);
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
        // Leftovers of killed builds are swept when the client is opened: the first container needs it anyway.
        DockerConnection connection = DockerConnection.open(host, timeouts,
                api -> ContainerReaper.removeLeftovers(api, log));
        DockerEngine engine = new DockerEngine(connection, terms);
        Runtime.getRuntime().addShutdownHook(new Thread(engine::removeEverything, "twoliter-docker-cleanup"));
        return engine;
    }

    /** Ctrl-C or the end of the JVM: every container of this engine goes, spares and exchange directories too. */
    private void removeEverything() {
        reaper.removeAll(launcher::stopSpares);
        files.deleteExchangeRoot();
    }

    /** Moves step files through the API even where an exchange directory would work (what a remote engine does). */
    void useArchives() {
        files.useArchives();
    }

    /** How many containers to start ahead of the steps that will use them (0: none); one per build thread. */
    public void keepWarm(int containers) {
        launcher.keepWarm(Math.min(containers, 16));
    }

    /** Looks up a local SDK image; pulls it only when asked to. */
    @Override
    public SdkImage sdkImage(String reference, boolean pullIfMissing, BuildLog log) throws BuildEnvironmentException {
        return images.sdkImage(reference, pullIfMissing, log);
    }

    /**
     * Runs one step in a fresh container and removes the container whatever happens. The container
     * may have been started ahead of time ({@link WarmContainers}); it has run nothing before.
     */
    @Override
    public StepOutcome run(ContainerStep step, Path scratchDir) throws TwoliterException, IOException {
        return steps.run(step, scratchDir);
    }

    /** This engine's steps and their time in containers since the JVM connected to it. */
    @Override
    public List<EngineUsage> usage() {
        return List.of(new EngineUsage(Urls.redact(connection.host()), steps.stepsRun(), steps.timeInContainers()));
    }

    public String host() {
        return connection.host();
    }
}
