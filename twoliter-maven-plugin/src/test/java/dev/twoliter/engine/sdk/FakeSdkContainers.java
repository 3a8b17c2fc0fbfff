package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Plays back scripted step results in place of Docker, so that a pipeline's decisions (what runs,
 * what is recorded, how a failure is worded) are tested without an engine. Steps are answered in
 * the order they are started; a step nobody scripted fails the test.
 */
public final class FakeSdkContainers implements SdkContainers {
    /** What a scripted step does: writes its outputs and its log, and returns its exit code. */
    @FunctionalInterface
    public interface ScriptedStep {
        int run(ContainerStep step, Path outputDir, StringBuilder log) throws IOException;
    }

    public static final SdkImage SDK = new SdkImage("twoliter-sdk:test", "sha256:" + "5".repeat(64), "twoliter-sdk",
            "test", List.of("x86_64", "aarch64"), Map.of("x86_64", "/usr/lib/rpm/macros.d/x86_64",
                    "aarch64", "/usr/lib/rpm/macros.d/aarch64"));

    private final Deque<ScriptedStep> script = new ArrayDeque<>();
    private final List<ContainerStep> started = new ArrayList<>();
    private int imageLookups;

    /** Adds the next step's behaviour. */
    public FakeSdkContainers then(ScriptedStep step) {
        script.add(step);
        return this;
    }

    /** The steps started so far, in order. */
    public List<ContainerStep> started() {
        return List.copyOf(started);
    }

    public int imageLookups() {
        return imageLookups;
    }

    @Override
    public SdkImage sdkImage(String reference, boolean pullIfMissing, BuildLog log) throws BuildEnvironmentException {
        imageLookups++;
        return new SdkImage(reference, SDK.id(), SDK.name(), SDK.version(), SDK.arches(), SDK.macroFiles());
    }

    @Override
    public StepOutcome run(ContainerStep step, Path scratchDir) throws IOException {
        started.add(step);
        ScriptedStep behaviour = script.poll();
        if (behaviour == null) {
            throw new AssertionError("step '" + step.name() + "' started, but the test scripted no more steps");
        }
        for (Map.Entry<String, Path> input : step.inputs().entrySet()) {
            if (!Files.isRegularFile(input.getValue())) {
                throw new AssertionError("input " + input.getKey() + " of step '" + step.name() + "' is not a file: "
                        + input.getValue());
            }
        }
        Path out = Files.createTempDirectory(Files.createDirectories(scratchDir), "out");
        StringBuilder log = new StringBuilder();
        int exit = behaviour.run(step, out, log);
        Files.createDirectories(step.logFile().getParent());
        Files.writeString(step.logFile(), log, StandardCharsets.UTF_8);
        log.toString().lines().forEach(step.logSink());
        // Like the real engine: outputs leave the container only when the step succeeded.
        if (exit == 0 && step.outputPath() != null) {
            copyTree(out, step.outputDir());
        }
        return new StepOutcome(exit, step.logFile());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
