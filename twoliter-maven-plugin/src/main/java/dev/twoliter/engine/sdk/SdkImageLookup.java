package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.net.Urls;
import java.io.IOException;
import java.util.Optional;

/**
 * Finds the SDK image a build asks for. On a local engine the lookup goes over the socket with the
 * JDK alone, so that an up-to-date build, which needs nothing else from Docker, never loads the
 * client. An image that is missing is pulled only when the user asked for it: builds are offline
 * by default, and a missing SDK usually means one that was never built here.
 */
final class SdkImageLookup {
    private final DockerConnection connection;
    private final Terms terms;

    SdkImageLookup(DockerConnection connection, Terms terms) {
        this.connection = connection;
        this.terms = terms;
    }

    SdkImage sdkImage(String reference, boolean pullIfMissing, BuildLog log) throws BuildEnvironmentException {
        if (!SdkImage.isReference(reference)) {
            throw new BuildEnvironmentException("SDK image " + Syntax.show(reference)
                    + " is not a Docker image reference (name[:tag] or name@sha256:digest).");
        }
        Optional<SdkImage> found = inspect(reference);
        if (found.isPresent()) {
            return found.get();
        }
        if (!pullIfMissing) {
            throw new SdkImageMissingException("SDK image " + reference + " is not in the local Docker engine."
                    + " Build it with `sdk/build-offline.sh` from the twoliter-maven repository (no registry"
                    + " needed) or `docker build -t " + reference + " sdk/`, or set "
                    + terms.setting(Terms.Setting.SDK_IMAGE) + " to an SDK image that follows"
                    + " docs/sdk-contract.md. Nothing is pulled unless you pass "
                    + terms.setting(Terms.Setting.PULL_SDK) + ".");
        }
        pull(reference, log);
        return inspect(reference).orElseThrow(() -> new BuildEnvironmentException("SDK image " + reference
                + " is still not in Docker at " + Urls.redact(connection.host()) + " after pulling it."));
    }

    /** The image's id and contract labels; empty if the engine does not have it. */
    private Optional<SdkImage> inspect(String reference) throws BuildEnvironmentException {
        Optional<ImageJson.Facts> facts;
        LocalDockerSocket socket = connection.localSocket();
        if (socket != null) {
            try {
                facts = inspectOverSocket(socket, reference);
            } catch (IOException | RuntimeException e) {
                throw cannotInspect(reference, e);
            }
        } else {
            DockerApi api = connection.api();
            try {
                facts = api.inspectImage(reference);
            } catch (RuntimeException e) {
                throw cannotInspect(reference, e);
            }
        }
        if (facts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(SdkImage.fromLabels(reference, facts.get().id(), facts.get().labels()));
    }

    private static Optional<ImageJson.Facts> inspectOverSocket(LocalDockerSocket socket, String reference)
            throws IOException {
        // The reference was checked against the reference grammar: nothing in it needs escaping.
        LocalDockerSocket.Response answer = socket.get("/images/" + reference + "/json");
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (answer.status() != 200) {
            throw new IOException("HTTP " + answer.status() + ": " + Syntax.show(
                    answer.text().length() > 200 ? answer.text().substring(0, 200) : answer.text()));
        }
        return Optional.of(ImageJson.parse(answer.body()));
    }

    private BuildEnvironmentException cannotInspect(String reference, Exception e) {
        return new BuildEnvironmentException("Cannot inspect SDK image " + reference + " at Docker "
                + Urls.redact(connection.host()) + ": " + DockerConnection.describe(e, connection.timeouts()), e);
    }

    private void pull(String reference, BuildLog log) throws BuildEnvironmentException {
        log.info("Pulling SDK image " + reference);
        DockerApi api = connection.api();
        try {
            api.pull(reference);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildEnvironmentException("Interrupted while pulling SDK image " + reference, e);
        } catch (RuntimeException e) {
            throw new BuildEnvironmentException("Cannot pull SDK image " + reference + " at Docker "
                    + Urls.redact(connection.host()) + ": " + DockerConnection.describe(e, connection.timeouts()), e);
        }
    }
}
