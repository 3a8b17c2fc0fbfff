package dev.twoliter.engine.sdk;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Tars;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Moves a step's files into its waiting container and its outputs out: through the container's
 * exchange directory when it has one, else as tar archives through the Docker API. Either way the
 * step sees the same files (docs/architecture.md, "How a step meets Docker").
 */
final class StepFiles {
    /** Writes input archives into their requests: no temporary copy of large inputs. */
    private static final Executor ARCHIVE_WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "twoliter-archive-writer");
        t.setDaemon(true);
        return t;
    });

    private final FileSharing files;

    StepFiles(FileSharing files) {
        this.files = files;
    }

    /**
     * Hands the step its files and starts it: through the exchange directory when there is one,
     * else streamed into the waiting container as one archive whose last entry starts the step.
     */
    void send(DockerApi api, ContainerLauncher.StepContainer container, ContainerStep step, Path scratchDir)
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
            entries.put(stripRoot(StepWrapper.SCRIPT_PATH), script);
            entries.put(stripRoot(StepWrapper.ENV_FILE), environment);
            if (!files.sharesFileSystem()) {
                for (Map.Entry<String, Path> dir : step.readOnlyDirectories().entrySet()) {
                    try (var found = Files.walk(dir.getValue())) {
                        for (Path file : found.filter(Files::isRegularFile).toList()) {
                            entries.put(stripRoot(dir.getKey()) + "/" + dir.getValue().relativize(file).toString()
                                    .replace('\\', '/'), file);
                        }
                    }
                }
            }
            // Written by a second thread straight into the request.
            PipedInputStream in = new PipedInputStream(1 << 16);
            PipedOutputStream out = new PipedOutputStream(in);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (out) {
                    Tars.write(entries, Instant.EPOCH, stripRoot(StepWrapper.GO_MARKER), out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, ARCHIVE_WRITERS);
            try (in) {
                api.copyArchiveIn(container.id(), "/", in);
            }
            try {
                writer.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                throw e;
            }
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(environment);
        }
    }

    /** Copies the step's output directory to its place on this machine. */
    void receive(DockerApi api, ContainerLauncher.StepContainer container, ContainerStep step) throws IOException {
        Files.createDirectories(step.outputDir());
        if (container.exchange() != null) {
            container.exchange().receive(step.outputPath(), step.outputDir());
            return;
        }
        String base = step.outputPath().substring(step.outputPath().lastIndexOf('/') + 1);
        try (InputStream in = api.copyArchiveOut(container.id(), step.outputPath())) {
            Tars.extract(in, base + "/", step.outputDir());
        }
    }

    /** NAME=value entries, each ended by NUL: the only byte no environment value can hold. */
    static String environmentFile(ContainerStep step) throws TwoliterException {
        StringBuilder file = new StringBuilder();
        for (Map.Entry<String, String> variable : step.environment().entrySet()) {
            if (!Syntax.isEnvironmentName(variable.getKey()) || variable.getValue().indexOf('\0') >= 0) {
                throw new TwoliterException("Step '" + step.name() + "' has an environment variable that cannot be"
                        + " passed to a process: " + Syntax.show(variable.getKey()));
            }
            file.append(variable.getKey()).append('=').append(variable.getValue()).append('\0');
        }
        return file.toString();
    }

    private static String stripRoot(String containerPath) {
        if (!containerPath.startsWith("/")) {
            throw new IllegalArgumentException("Container paths must be absolute: " + containerPath);
        }
        return containerPath.substring(1);
    }
}
