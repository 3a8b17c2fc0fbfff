package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the SDK image through the client (a remote engine); the local socket's way is LocalDockerSocketTest's. */
class SdkImageLookupTest {
    private static final String ID = "sha256:" + "ab".repeat(32);
    private static final ImageJson.Facts SDK = new ImageJson.Facts(ID, Map.of("dev.twoliter.sdk.contract", "1",
            "dev.twoliter.sdk.name", "twoliter-sdk", "dev.twoliter.sdk.version", "0.2.0",
            "dev.twoliter.sdk.arches", "x86_64", "dev.twoliter.sdk.macros.x86_64", "/usr/share/m/x86_64"));

    @TempDir
    Path dir;

    private final List<String> info = new CopyOnWriteArrayList<>();
    private final BuildLog log = new BuildLog() {
        @Override
        public void info(String message) {
            info.add(message);
        }

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
    };

    private FakeDockerApi docker;

    private SdkImageLookup lookup() {
        docker = new FakeDockerApi(dir);
        return new SdkImageLookup(docker.connection(), Terms.PLAIN);
    }

    @Test
    void anImageTheEngineHasIsReadFromItsLabels() throws Exception {
        SdkImageLookup lookup = lookup();
        docker.images.put("twoliter-sdk:0.3.0", SDK);

        SdkImage image = lookup.sdkImage("twoliter-sdk:0.3.0", false, log);

        assertThat(image.id()).isEqualTo(ID);
        assertThat(image.macrosFor("x86_64")).isEqualTo("/usr/share/m/x86_64");
        assertThat(docker.calls).containsExactly("inspect twoliter-sdk:0.3.0");
    }

    @Test
    void aMissingImageIsNeverPulledUnasked() {
        SdkImageLookup lookup = lookup();

        assertThatThrownBy(() -> lookup.sdkImage("twoliter-sdk:0.3.0", false, log))
                .isInstanceOf(SdkImageMissingException.class)
                .hasMessage("SDK image twoliter-sdk:0.3.0 is not in the local Docker engine. Build it with"
                        + " `sdk/build-offline.sh` from the twoliter-maven repository (no registry needed) or `docker"
                        + " build -t twoliter-sdk:0.3.0 sdk/`, or set the sdk image setting to an SDK image that"
                        + " follows docs/sdk-contract.md. Nothing is pulled unless you pass the pull sdk setting.");
        assertThat(docker.calls).containsExactly("inspect twoliter-sdk:0.3.0");
    }

    @Test
    void aMalformedReferenceIsRefusedBeforeAskingTheEngine() {
        SdkImageLookup lookup = lookup();

        assertThatThrownBy(() -> lookup.sdkImage("Twoliter SDK", true, log))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("SDK image 'Twoliter SDK' is not a Docker image reference (name[:tag] or"
                        + " name@sha256:digest).");
        assertThat(docker.calls).isEmpty();
    }

    @Test
    void aMissingImageIsPulledWhenAskedAndLookedUpAgain() throws Exception {
        SdkImageLookup lookup = lookup();
        docker.pulled = SDK;

        assertThat(lookup.sdkImage("registry.example/twoliter-sdk:0.3.0", true, log).id()).isEqualTo(ID);

        assertThat(info).containsExactly("Pulling SDK image registry.example/twoliter-sdk:0.3.0");
        assertThat(docker.calls).containsExactly("inspect registry.example/twoliter-sdk:0.3.0",
                "pull registry.example/twoliter-sdk:0.3.0", "inspect registry.example/twoliter-sdk:0.3.0");
    }

    @Test
    void aPullThatLeavesNoImageIsReported() {
        SdkImageLookup lookup = lookup();

        assertThatThrownBy(() -> lookup.sdkImage("twoliter-sdk:0.3.0", true, log))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("SDK image twoliter-sdk:0.3.0 is still not in Docker at tcp://fake:2375 after pulling it.");
    }

    @Test
    void anEngineThatFailsTheLookupIsNamedWithTheTimeout() {
        SdkImageLookup lookup = lookup();
        docker.inspectFailure = new RuntimeException(new SocketTimeoutException("Read timed out"));

        assertThatThrownBy(() -> lookup.sdkImage("twoliter-sdk:0.3.0", false, log))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Cannot inspect SDK image twoliter-sdk:0.3.0 at Docker tcp://fake:2375: no answer within"
                        + " 120 s (read timeout)");
    }
}
