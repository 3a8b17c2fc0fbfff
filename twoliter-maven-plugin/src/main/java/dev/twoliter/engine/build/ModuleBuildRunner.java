package dev.twoliter.engine.build;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.PhaseTimes;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.sdk.SdkContainers;
import dev.twoliter.engine.sdk.SdkImage;
import java.io.IOException;

/**
 * The one skeleton every module build follows: prepare the inputs, identify the SDK, fingerprint,
 * stop if nothing changed, run the steps, record the outputs. This is the single place where
 * anything that concerns every packaging (a shared build cache, timing) belongs.
 */
public final class ModuleBuildRunner {
    private final SdkContainers containers;
    private final BuildLog log;

    public ModuleBuildRunner(SdkContainers containers, BuildLog log) {
        this.containers = containers;
        this.log = log;
    }

    public <R> R run(ModuleBuild<R> build) throws TwoliterException, IOException {
        ModuleBuild.Settings settings = build.settings();
        PhaseTimes times = new PhaseTimes();
        try {
            build.prepareInputs();
            times.lap("inputs");
            SdkImage sdk = containers.sdkImage(settings.sdkImage(), settings.pullSdk(), log);
            build.checkSdk(sdk, log);
            times.lap("sdk");
            Fingerprint inputs = build.fingerprint(sdk);
            times.lap("fingerprint");
            BuildRecord record = build.record();
            if (!settings.force() && record.isUpToDate(inputs, settings.module(), log)) {
                R result = build.upToDate(record);
                times.lap("up-to-date check");
                log.info(settings.module() + " is up to date; no container started");
                return result;
            }
            times.lap("up-to-date check");
            // A build that fails from here on must never count as up to date.
            record.invalidate();
            R result = build.runSteps(new StepContext(containers, sdk, log), inputs);
            times.lap("steps");
            record.record(inputs, build.outputs(result, record));
            times.lap("record");
            return result;
        } finally {
            build.cleanUp();
            log.debug("timing " + settings.module() + ": " + times.render());
        }
    }
}
