package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where build steps run: an engine that knows SDK images and runs one step per fresh, network-less
 * container. {@link DockerEngine} is the real one; builds receive it and never create one
 * themselves, so every pipeline can be tested with a fake that plays back scripted outputs.
 */
public interface SdkContainers {
    /** The SDK image by reference, as its contract labels describe it; pulled only when asked. */
    SdkImage sdkImage(String reference, boolean pullIfMissing, BuildLog log) throws BuildEnvironmentException;

    /**
     * Runs one step and removes its container whatever happens. The step's outputs are in its
     * output directory only if the outcome succeeded.
     */
    StepOutcome run(ContainerStep step, Path scratchDir) throws TwoliterException, IOException;

    /**
     * What each engine behind this port did so far in this JVM (steps run, time in containers), for a
     * build's summary; empty where nothing is counted (fakes).
     */
    default List<EngineUsage> usage() {
        return List.of();
    }
}
