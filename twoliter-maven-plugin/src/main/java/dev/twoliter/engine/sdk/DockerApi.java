package dev.twoliter.engine.sdk;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Docker calls the engine makes, and no others, in this plugin's own types. {@link
 * DockerJavaApi} is the real one; the classes above it are unit tested against a fake, so what the
 * build does around each call (labels, removal, fallbacks, messages) needs no engine to be tested.
 *
 * <p>Failures are unchecked, as docker-java's are. An engine that answered with an error status
 * throws {@link Refused} ({@link NotFound} for a missing container or image); anything else (no
 * connection, no answer within the read timeout) is the transport's own exception. Either keeps the
 * original message and cause, which {@link DockerConnection#describe} words for users.
 */
interface DockerApi {

    /**
     * A container to create. Every container waits on an open stdin and has no command: its
     * entrypoint is all it runs. A null field is left out of the request (the engine's default).
     *
     * @param networkMode {@code none}, or {@code container:<id>} to join a sandbox's namespace
     */
    record ContainerSpec(String image, String name, Map<String, String> labels, List<String> entrypoint,
            List<String> env, String workingDir, String networkMode, List<Mount> mounts, List<String> devices) {}

    /** A directory of this machine mounted into a container. */
    record Mount(String hostPath, String containerPath, boolean writable) {}

    /** A container found by label, with all its labels. */
    record Listed(String id, Map<String, String> labels) {}

    /**
     * The end of a wait for a container's exit: {@code finished} false if the time ran out; {@code
     * statusCode} null if the engine sent none.
     */
    record Exit(boolean finished, Integer statusCode, Throwable error) {}

    /** A container's output as it is written; closing it stops following. */
    interface LogStream extends Closeable {
        /** Waits up to {@code max} for the end of the output (the container exited); false if it did not come. */
        boolean awaitEnd(Duration max) throws InterruptedException;

        @Override
        void close() throws IOException;
    }

    /** The engine answered a request with an error status. */
    class Refused extends RuntimeException {
        Refused(RuntimeException answer) {
            super(answer.getMessage(), answer);
        }
    }

    /** The engine has no such container or image. */
    final class NotFound extends Refused {
        NotFound(RuntimeException answer) {
            super(answer);
        }
    }

    void ping();

    /** The image's id and labels; empty if the engine does not have it. */
    Optional<ImageJson.Facts> inspectImage(String reference);

    /** Pulls the image, returning when the engine has it. */
    void pull(String reference) throws InterruptedException;

    /** Creates the container (not started); its id. */
    String create(ContainerSpec spec);

    void start(String id);

    void rename(String id, String name);

    boolean isRunning(String id);

    /** Removes the container and its volumes, killing it if it runs; {@link NotFound} if it is already gone. */
    void remove(String id);

    /** Every container, running or not, that carries {@code label} with {@code value}. */
    List<Listed> listContainers(String label, String value);

    /** Unpacks the tar archive read from {@code tar} into the container at {@code directory}. */
    void copyArchiveIn(String id, String directory, InputStream tar);

    /** A tar archive of {@code path} in the container, its entries under the path's last name. */
    InputStream copyArchiveOut(String id, String path);

    /** Follows the container's stdout and stderr from its start; {@code output} receives them as they come. */
    LogStream followLogs(String id, Consumer<byte[]> output);

    /**
     * Waits up to {@code max} for the container to exit. An engine that fails during the wait is
     * reported in the {@link Exit}'s {@code error}, not thrown; only the request that starts the wait
     * may throw.
     */
    Exit awaitExit(String id, Duration max) throws InterruptedException;
}
