package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.PhaseTimes;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.net.Urls;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one step in its container and removes the container whatever happens: files in, the step's
 * output streamed to its log while it runs, outputs out on success. The exit codes by which the
 * wrapper or a step script says that the environment failed (not the step's own work) become
 * messages that name the cause; every other code is the step's outcome.
 */
final class StepRunner {
    private final DockerConnection connection;
    private final FileSharing files;
    private final ContainerLauncher launcher;
    private final StepFiles stepFiles;
    /** For {@link DockerEngine#usage()}: steps that got a container here, and their time from start or take to exit. */
    private final AtomicInteger stepsRun = new AtomicInteger();
    private final AtomicLong nanosInContainers = new AtomicLong();

    StepRunner(DockerConnection connection, FileSharing files, ContainerLauncher launcher) {
        this.connection = connection;
        this.files = files;
        this.launcher = launcher;
        this.stepFiles = new StepFiles(files);
    }

    /** The container may have been started ahead of time ({@link WarmContainers}); it has run nothing before. */
    StepOutcome run(ContainerStep step, Path scratchDir) throws TwoliterException, IOException {
        Files.createDirectories(step.logFile().getParent());
        PhaseTimes times = new PhaseTimes();
        DockerApi api = connection.api();
        times.lap("client");
        String name = ContainerLauncher.containerName(step.name());
        long containerFrom = System.nanoTime();
        Optional<ContainerLauncher.StepContainer> spare = launcher.takeSpare(launcher.shape(step), name);
        ContainerLauncher.StepContainer container;
        if (spare.isPresent()) {
            container = spare.get();
            times.lap("started ahead");
        } else {
            container = launcher.createAndStart(launcher.shape(step), name, step);
            times.lap("create and start");
        }
        long exited = 0;
        int exitCode;
        try {
            if (container.exchange() != null && files.exchangeUnchecked() && !files.checkExchange(container.exchange())) {
                step.logSink().accept("twoliter: Docker at " + Urls.redact(connection.host()) + " does not see this"
                        + " machine's files at the same paths; step files travel through the Docker API instead");
                launcher.remove(container);
                // Removed once: if its replacement cannot be made, nothing is left to remove (a second
                // release would lend its sandbox to two steps at once).
                container = null;
                container = launcher.createAndStart(launcher.shape(step), name, step);
            }
            // After the check above: once the engine turned out not to see this machine's files, no mounts.
            launcher.refill(launcher.shape(step));
            try {
                stepFiles.send(api, container, step, scratchDir);
            } catch (RuntimeException e) {
                throw connection.failure("copy the inputs of step '" + step.name() + "' into its container", e);
            }
            times.lap("copy in");
            exitCode = awaitExit(api, container.id(), step);
            exited = System.nanoTime();
            times.lap("run");
            failIfTheEnvironmentFailed(exitCode, container, step);
            if (exitCode == 0 && step.outputPath() != null) {
                try {
                    stepFiles.receive(api, container, step);
                } catch (RuntimeException | IOException e) {
                    throw new BuildEnvironmentException("Could not copy the outputs of step '" + step.name()
                            + "' out of its container: " + DockerConnection.describe(e, connection.timeouts()) + ".", e);
                }
                times.lap("copy out");
            }
        } finally {
            stepsRun.incrementAndGet();
            nanosInContainers.addAndGet((exited == 0 ? System.nanoTime() : exited) - containerFrom);
            if (container != null) {
                launcher.remove(container);
            }
        }
        times.lap("remove");
        return new StepOutcome(exitCode, step.logFile(), times.render());
    }

    int stepsRun() {
        return stepsRun.get();
    }

    Duration timeInContainers() {
        return Duration.ofNanos(nanosInContainers.get());
    }

    /** The wrapper could not move the files, or the SDK image lacks a tool: the image or this machine is at fault. */
    private static void failIfTheEnvironmentFailed(int exitCode, ContainerLauncher.StepContainer container,
            ContainerStep step) throws BuildEnvironmentException {
        if (exitCode == StepWrapper.EXCHANGE_FAILED && container.exchange() != null
                && container.exchange().failure().isPresent()) {
            throw new BuildEnvironmentException("Step '" + step.name() + "' could not move its files through "
                    + container.exchange().directory() + ": " + container.exchange().failure().get()
                    + ". Full log: " + step.logFile());
        }
        if (exitCode == StepExit.SDK_TOOL_MISSING.code()) {
            throw new BuildEnvironmentException("SDK image " + step.image().reference() + " lacks a tool that step '"
                    + step.name() + "' needs: " + lastLineWith(step.logFile(), StepExit.SDK_TOOL_MISSING_MARKER)
                    + ". Use an SDK image that follows docs/sdk-contract.md. Full log: " + step.logFile());
        }
    }

    /** Streams the container's output to the step's log until it exits or its timeout passes. */
    private int awaitExit(DockerApi api, String id, ContainerStep step) throws TwoliterException, IOException {
        try (BufferedWriter logFile = Files.newBufferedWriter(step.logFile(), StandardCharsets.UTF_8)) {
            StepLog lines = new StepLog(logFile, step.logSink());
            try (DockerApi.LogStream output = followLogs(api, id, lines, step)) {
                DockerApi.Exit exit = awaitExit(api, id, step.timeout(), step);
                if (exit.finished()) {
                    // The log stream ends shortly after the container; wait so the log file is complete.
                    output.awaitEnd(Duration.ofSeconds(10));
                }
                lines.flushPartialLines();
                if (exit.finished() && exit.statusCode() == null && exit.error() != null) {
                    throw new BuildEnvironmentException("Docker at " + Urls.redact(connection.host())
                            + " failed while step '" + step.name() + "' was running ("
                            + DockerConnection.describe(exit.error(), connection.timeouts()) + "). Full log: "
                            + step.logFile(), exit.error());
                }
                if (!exit.finished() || exit.statusCode() == null) {
                    throw new TwoliterException("Step '" + step.name() + "' did not finish within " + step.timeout()
                            .toMinutes() + " minutes and was stopped. Full log: " + step.logFile());
                }
                return exit.statusCode();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwoliterException("Interrupted while step '" + step.name() + "' was running", e);
        }
    }

    private DockerApi.LogStream followLogs(DockerApi api, String id, StepLog lines, ContainerStep step)
            throws BuildEnvironmentException {
        try {
            return api.followLogs(id, lines);
        } catch (RuntimeException e) {
            throw connection.failure("follow the output of step '" + step.name() + "'", e);
        }
    }

    private DockerApi.Exit awaitExit(DockerApi api, String id, Duration max, ContainerStep step)
            throws BuildEnvironmentException, InterruptedException {
        try {
            return api.awaitExit(id, max);
        } catch (RuntimeException e) {
            throw connection.failure("wait for step '" + step.name() + "' to end", e);
        }
    }

    /** What follows {@code marker} on the last log line that has it, for a message; "see the log" if none does. */
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
}
