package dev.twoliter.engine.sdk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One build step in a fresh SDK container: the inputs are copied in, {@code script} runs with
 * bash and no network, and on success the directory {@code outputPath} is copied out to {@code
 * outputDir}. Everything the step prints goes to {@code logFile} and, line by line, to {@code
 * logSink}.
 *
 * @param name short name used in the container name and messages, for example the module
 * @param inputs container path (absolute) to host file
 * @param readOnlyDirectories container path (absolute) to host directory, for large read-only
 *     inputs such as kit repositories: mounted when the engine shares this machine's file system,
 *     copied in otherwise
 * @param devices host devices the step may use (for example /dev/kvm); none for build steps
 */
public record ContainerStep(String name, SdkImage image, String script, Map<String, String> environment,
        Map<String, Path> inputs, Map<String, Path> readOnlyDirectories, String outputPath, Path outputDir,
        Path logFile, Duration timeout, Consumer<String> logSink, List<String> devices) {

    /** A step with no host devices, which is every build step. */
    public ContainerStep(String name, SdkImage image, String script, Map<String, String> environment,
            Map<String, Path> inputs, Map<String, Path> readOnlyDirectories, String outputPath, Path outputDir,
            Path logFile, Duration timeout, Consumer<String> logSink) {
        this(name, image, script, environment, inputs, readOnlyDirectories, outputPath, outputDir, logFile, timeout,
                logSink, List.of());
    }
}
