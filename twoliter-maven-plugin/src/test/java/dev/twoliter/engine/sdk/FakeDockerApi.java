package dev.twoliter.engine.sdk;

import dev.twoliter.engine.io.Tars;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A Docker engine in memory, for the classes above {@link DockerApi}: it records every call, keeps
 * the containers it made, and plays a step from {@link #step}. Where a container mounts an exchange
 * directory it acts as {@code step-wrapper.sh} does: {@code ready} on start if {@link
 * #seesExchange}, the step's outputs to {@code out/}.
 */
final class FakeDockerApi implements DockerApi {
    /** What a step's run gives back: output chunks as the container writes them, exit status (null: never exits), outputs. */
    record Run(List<String> output, Integer status, Map<String, String> outputs) {
        static Run exit(int status, String... output) {
            return new Run(List.of(output), status, Map.of());
        }
    }

    /** A container the fake made. */
    final class Container {
        final String id;
        final ContainerSpec spec;
        String name;
        boolean running;
        final Map<String, String> copiedIn = new TreeMap<>();
        Consumer<byte[]> logs;
        Run run;

        Container(String id, ContainerSpec spec) {
            this.id = id;
            this.spec = spec;
            this.name = spec.name();
        }

        /** The exchange directory on this machine, or null. */
        Path exchange() {
            return spec.mounts() == null ? null : spec.mounts().stream()
                    .filter(m -> m.containerPath().equals(StepWrapper.EXCHANGE_PATH))
                    .map(m -> Path.of(m.hostPath())).findFirst().orElse(null);
        }

        /** The step's files as the container sees them: container path without its leading slash, to text. */
        Map<String, String> inputs() {
            Path exchange = exchange();
            if (exchange == null || !Files.exists(exchange.resolve("go"))) {
                return copiedIn;
            }
            Map<String, String> files = new TreeMap<>();
            Path in = exchange.resolve("in");
            try (Stream<Path> walk = Files.walk(in)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    files.put(in.relativize(file).toString(), Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return files;
        }
    }

    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, Container> containers = new LinkedHashMap<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    final Map<String, ImageJson.Facts> images = new LinkedHashMap<>();
    final List<Listed> listed = new ArrayList<>();
    /** What a pull adds to {@link #images}; null adds nothing. */
    ImageJson.Facts pulled;
    volatile boolean seesExchange = true;
    volatile Function<ContainerSpec, RuntimeException> createFailure = spec -> null;
    volatile Function<Container, RuntimeException> startFailure = c -> null;
    volatile Function<String, RuntimeException> removeFailure = id -> null;
    volatile RuntimeException inspectFailure;
    volatile RuntimeException copyInFailure;
    /** The step a container runs, given the container when the build waits for its exit. */
    volatile Function<Container, Run> step = c -> Run.exit(0);
    /** Set to make {@link #awaitExit} report an engine error instead of an exit. */
    volatile Throwable waitError;
    /** Set to make the request that follows a container's output fail. */
    volatile RuntimeException logsFailure;
    /** Set to make the request that starts the wait for a container's exit fail. */
    volatile RuntimeException waitRequestFailure;
    private final Path scratch;
    private int next;

    /** @param scratch where the fake writes the archives it hands out */
    FakeDockerApi(Path scratch) {
        this.scratch = scratch;
    }

    /** A connection to a remote engine ({@code tcp://}) whose client is this fake. */
    DockerConnection connection() {
        return connection("tcp://fake:2375");
    }

    DockerConnection connection(String host) {
        return new DockerConnection(host, DockerTimeouts.DEFAULTS, null, () -> this, api -> {});
    }

    synchronized Container container(String id) {
        return containers.get(id);
    }

    /** Containers created and not removed. */
    synchronized List<Container> live() {
        return containers.values().stream().filter(c -> !removed.contains(c.id)).toList();
    }

    @Override
    public void ping() {
        calls.add("ping");
    }

    @Override
    public synchronized Optional<ImageJson.Facts> inspectImage(String reference) {
        calls.add("inspect " + reference);
        if (inspectFailure != null) {
            throw inspectFailure;
        }
        return Optional.ofNullable(images.get(reference));
    }

    @Override
    public synchronized void pull(String reference) {
        calls.add("pull " + reference);
        if (pulled != null) {
            images.put(reference, pulled);
        }
    }

    @Override
    public synchronized String create(ContainerSpec spec) {
        calls.add("create " + spec.name());
        RuntimeException failure = createFailure.apply(spec);
        if (failure != null) {
            throw failure;
        }
        String id = "c" + ++next;
        containers.put(id, new Container(id, spec));
        return id;
    }

    @Override
    public void start(String id) {
        calls.add("start " + id);
        Container c = container(id);
        RuntimeException failure = startFailure.apply(c);
        if (failure != null) {
            throw failure;
        }
        c.running = true;
        Path exchange = c.exchange();
        if (exchange != null && seesExchange) {
            write(exchange.resolve("ready"), "");
        }
    }

    @Override
    public synchronized void rename(String id, String name) {
        calls.add("rename " + id + " " + name);
        containers.get(id).name = name;
    }

    @Override
    public synchronized boolean isRunning(String id) {
        Container c = containers.get(id);
        if (c == null || removed.contains(id)) {
            throw new NotFound(new RuntimeException("No such container: " + id));
        }
        return c.running;
    }

    @Override
    public synchronized void remove(String id) {
        calls.add("remove " + id);
        RuntimeException failure = removeFailure.apply(id);
        if (failure != null) {
            throw failure;
        }
        if (removed.contains(id)) {
            throw new NotFound(new RuntimeException("No such container: " + id));
        }
        removed.add(id);
        if (containers.containsKey(id)) {
            containers.get(id).running = false;
        }
    }

    @Override
    public synchronized List<Listed> listContainers(String label, String value) {
        calls.add("list " + label + "=" + value);
        return List.copyOf(listed);
    }

    @Override
    public void copyArchiveIn(String id, String directory, InputStream tar) {
        calls.add("copy in " + id + " " + directory);
        if (copyInFailure != null) {
            throw copyInFailure;
        }
        Container c = container(id);
        try (TarArchiveInputStream entries = Tars.reader(tar)) {
            for (TarArchiveEntry e; (e = entries.getNextEntry()) != null; ) {
                if (!e.isDirectory()) {
                    c.copiedIn.put(e.getName(), new String(entries.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream copyArchiveOut(String id, String path) {
        calls.add("copy out " + id + " " + path);
        Container c = container(id);
        if (c.run.outputs().isEmpty()) {
            throw new NotFound(new RuntimeException("Could not find the file " + path + " in container " + id));
        }
        String base = path.substring(path.lastIndexOf('/') + 1);
        Map<String, Path> entries = new LinkedHashMap<>();
        try {
            Path dir = Files.createTempDirectory(scratch, "out");
            for (Map.Entry<String, String> file : c.run.outputs().entrySet()) {
                entries.put(base + "/" + file.getKey(), write(dir.resolve(file.getKey()), file.getValue()));
            }
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            Tars.write(entries, Instant.EPOCH, tar);
            return new ByteArrayInputStream(tar.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public LogStream followLogs(String id, Consumer<byte[]> output) {
        calls.add("logs " + id);
        if (logsFailure != null) {
            throw logsFailure;
        }
        container(id).logs = output;
        return new LogStream() {
            @Override
            public boolean awaitEnd(Duration max) {
                return true;
            }

            @Override
            public void close() {
                calls.add("logs closed " + id);
            }
        };
    }

    @Override
    public Exit awaitExit(String id, Duration max) {
        calls.add("wait " + id);
        if (waitRequestFailure != null) {
            throw waitRequestFailure;
        }
        Container c = container(id);
        if (waitError != null) {
            return new Exit(true, null, waitError);
        }
        Run run = step.apply(c);
        c.run = run;
        for (String chunk : run.output()) {
            c.logs.accept(chunk.getBytes(StandardCharsets.UTF_8));
        }
        Path exchange = c.exchange();
        if (exchange != null && run.status() != null && run.status() == 0) {
            run.outputs().forEach((name, text) -> write(exchange.resolve("out").resolve(name), text));
        }
        c.running = false;
        return new Exit(run.status() != null, run.status(), null);
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
