package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.ProcessOwner;
import dev.twoliter.engine.net.Urls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Makes the containers steps run in: labelled for the {@link ContainerReaper}, network-less,
 * started before their step is known and waiting in {@code step-wrapper.sh} for its files. What a
 * step costs the engine beyond its own work is kept small without giving up a fresh root per step
 * (docs/architecture.md, "How a step meets Docker"): containers are started ahead of their step
 * ({@link WarmContainers}), join a sandbox's empty network namespace ({@link Sandboxes}) and, on a
 * local engine, exchange files through a mounted directory ({@link StepExchange}).
 */
final class ContainerLauncher {
    /**
     * A started step container; {@code sandbox} is the container whose empty network namespace it
     * shares (null: its own), {@code exchange} its exchange directory on this machine (null: files
     * travel through the API).
     */
    record StepContainer(String id, String sandbox, StepExchange exchange) {}

    private final DockerConnection connection;
    private final FileSharing files;
    private final ContainerReaper reaper;
    private final Sandboxes sandboxes;
    private final WarmContainers<StepContainer> warm = new WarmContainers<>(this::remove);

    /** @param sandboxStarter where sandboxes are started, off the path of the step that asked for one */
    ContainerLauncher(DockerConnection connection, FileSharing files, ContainerReaper reaper, Executor sandboxStarter) {
        this.connection = connection;
        this.files = files;
        this.reaper = reaper;
        this.sandboxes = new Sandboxes(sandboxStarter);
    }

    /** A name for {@code docker ps}: the step's, made safe, and unique. */
    static String containerName(String stepName) {
        return "twoliter-" + stepName.replaceAll("[^a-zA-Z0-9_.-]", "-") + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** What a container for {@code step} fixes at creation; mounts only where the engine sees this machine's files. */
    WarmContainers.Shape shape(ContainerStep step) {
        SortedMap<String, Path> mounts = new TreeMap<>();
        if (files.sharesFileSystem()) {
            step.readOnlyDirectories().forEach((containerPath, hostDir) -> mounts.put(containerPath, hostDir.toAbsolutePath()));
        }
        return new WarmContainers.Shape(step.image().id(), mounts, List.copyOf(step.devices()));
    }

    /** How many spares to keep per shape (0: none). */
    void keepWarm(int containers) {
        warm.keep(containers);
    }

    /** A spare of {@code shape}, renamed to {@code name}; empty if none is ready. */
    Optional<StepContainer> takeSpare(WarmContainers.Shape shape, String name) throws BuildEnvironmentException {
        Optional<StepContainer> spare = warm.take(shape);
        if (spare.isPresent()) {
            rename(connection.api(), spare.get().id(), name);
        }
        return spare;
    }

    /** Starts a spare of {@code shape} in the background for a later step, if fewer than wanted are ready. */
    void refill(WarmContainers.Shape shape) throws BuildEnvironmentException {
        DockerApi api = connection.api();
        warm.refill(shape, () -> createAndStart(api, shape, containerName("spare"), null));
    }

    /** No more spares are made (the build is stopping); those made are live containers, removed as such. */
    void stopSpares() {
        warm.close();
    }

    /**
     * Creates a labelled, network-less container of {@code shape} and starts it: it waits for a step.
     * {@code step} names the step in errors; null for a spare, whose errors only stop further spares.
     */
    StepContainer createAndStart(WarmContainers.Shape shape, String name, ContainerStep step)
            throws TwoliterException, IOException {
        return createAndStart(connection.api(), shape, name, step);
    }

    private StepContainer createAndStart(DockerApi api, WarmContainers.Shape shape, String name, ContainerStep step)
            throws TwoliterException, IOException {
        Map<String, String> labels = labels();
        List<DockerApi.Mount> mounts = new ArrayList<>();
        shape.readOnlyMounts().forEach((containerPath, hostDir) ->
                mounts.add(new DockerApi.Mount(hostDir.toString(), containerPath, false)));
        StepExchange exchange = null;
        if (files.exchangeWanted()) {
            try {
                exchange = StepExchange.create(files.exchangeRoot(), name);
                mounts.add(new DockerApi.Mount(exchange.directory().toString(), StepWrapper.EXCHANGE_PATH, true));
            } catch (IOException e) {
                // No place for exchange directories: files travel through the API, as for a remote engine.
                files.useArchives();
            }
        }
        String sandbox = sandboxes.lease(() -> startSandbox(api, shape.imageId()));
        String what = step == null ? "a container for the next step" : "the container for step '" + step.name() + "'";
        String id;
        if (!reaper.creations().enter()) {
            if (exchange != null) {
                exchange.delete();
            }
            sandboxes.release(sandbox);
            throw stopping(what);
        }
        try {
            id = api.create(new DockerApi.ContainerSpec(shape.imageId(), name, labels,
                    List.of("/bin/bash", "-c", StepWrapper.SCRIPT),
                    exchange == null ? List.of() : List.of("TWOLITER_EXCHANGE=" + StepWrapper.EXCHANGE_PATH), "/work",
                    sandbox == null ? "none" : "container:" + sandbox, mounts, shape.devices()));
            reaper.created(id);
        } catch (RuntimeException e) {
            if (exchange != null) {
                exchange.delete();
            }
            if (sandbox != null) {
                return withoutSandbox(sandbox, api, shape, name, step);
            }
            throw connection.failure("create " + what, e);
        } finally {
            reaper.creations().exit();
        }
        StepContainer container = new StepContainer(id, sandbox, exchange);
        try {
            api.start(id);
            return container;
        } catch (DockerApi.Refused e) {
            remove(container);
            if (sandbox != null && !isRunning(api, sandbox)) {
                return withoutSandbox(sandbox, api, shape, name, step);
            }
            // The engine refuses to start a container whose entrypoint is missing with a 400/500.
            String stepName = step == null ? "a step" : "step '" + step.name() + "'";
            String reference = step == null ? shape.imageId() : step.image().reference();
            throw new BuildEnvironmentException("SDK image " + reference + " cannot run " + stepName + ": Docker at "
                    + Urls.redact(connection.host()) + " refused to start it (" + DockerConnection.rootMessage(e)
                    + "). An SDK image must provide /bin/bash and the tools listed in docs/sdk-contract.md.", e);
        } catch (RuntimeException e) {
            remove(container);
            throw connection.failure("start " + what, e);
        }
    }

    /**
     * A container that only holds an empty network namespace (loopback, no interfaces) for step
     * containers to join: creating and tearing down a namespace per step costs the engine about
     * 0.1 s. One step at a time uses a sandbox ({@link Sandboxes}), so steps never share one while
     * they run; null if the sandbox cannot be started (steps then get a namespace of their own).
     */
    private String startSandbox(DockerApi api, String imageId) {
        Map<String, String> labels = labels();
        String id = null;
        if (!reaper.creations().enter()) {
            return null;
        }
        try {
            try {
                id = api.create(new DockerApi.ContainerSpec(imageId, containerName("network-sandbox"), labels,
                        List.of("/bin/bash", "-c", "read -r _"), null, null, "none", null, null));
                reaper.created(id);
            } finally {
                reaper.creations().exit();
            }
            api.start(id);
            return id;
        } catch (RuntimeException e) {
            if (id != null) {
                reaper.remove(id);
            }
            return null;
        }
    }

    /** A sandbox that died (or an engine that cannot share namespaces): this and later steps get their own. */
    private StepContainer withoutSandbox(String sandbox, DockerApi api, WarmContainers.Shape shape, String name,
            ContainerStep step) throws TwoliterException, IOException {
        sandboxes.discard(sandbox);
        reaper.remove(sandbox);
        return createAndStart(api, shape, name, step);
    }

    private static boolean isRunning(DockerApi api, String id) {
        try {
            return api.isRunning(id);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Gives a container started ahead of time its step's name, for `docker ps`; cosmetic, so failures are ignored. */
    private static void rename(DockerApi api, String id, String name) {
        try {
            api.rename(id, name);
        } catch (RuntimeException e) {
            // the container keeps its spare's name
        }
    }

    /** Removes a step container with what it held: its sandbox goes back to the pool, its exchange directory away. */
    void remove(StepContainer container) {
        reaper.remove(container.id());
        sandboxes.release(container.sandbox());
        if (container.exchange() != null) {
            container.exchange().delete();
        }
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ContainerReaper.MANAGED_LABEL, "true");
        labels.put(ContainerReaper.OWNER_LABEL, ProcessOwner.self());
        return labels;
    }

    private BuildEnvironmentException stopping(String what) {
        return new BuildEnvironmentException("Did not start " + what + " on Docker at " + Urls.redact(connection.host())
                + ": the build is stopping (interrupted), and its containers are being removed.");
    }
}
