package dev.twoliter.engine.module;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.SdkContainers;
import dev.twoliter.engine.sdk.SdkImage;
import dev.twoliter.engine.sdk.StepOutcome;
import java.io.IOException;
import java.nio.file.Path;

/** What a build's steps need: where to run, in which SDK image, and where to report. */
public record StepContext(SdkContainers containers, SdkImage sdk, BuildLog log) {
    public StepOutcome run(ContainerStep step, Path scratchDir) throws TwoliterException, IOException {
        StepOutcome outcome = containers.run(step, scratchDir);
        log.debug("timing step '" + step.name() + "': " + outcome.timings());
        return outcome;
    }
}
