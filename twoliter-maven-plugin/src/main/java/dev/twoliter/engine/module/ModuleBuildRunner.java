package dev.twoliter.engine.module;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.PhaseTimes;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.module.BuildOutcomes.Outcome;
import dev.twoliter.engine.cache.CacheKey;
import dev.twoliter.engine.cache.RemoteBuildCache;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.sdk.SdkContainers;
import dev.twoliter.engine.sdk.SdkImage;
import java.io.IOException;
import java.util.Optional;

/**
 * The one skeleton every module build follows: prepare the inputs, identify the SDK, fingerprint,
 * stop if nothing changed, restore from the remote build cache if it has the outputs, run the
 * steps, record the outputs, publish them to the remote cache. This is the single place where
 * anything that concerns every packaging (the remote cache, timing, the build summary) belongs.
 */
public final class ModuleBuildRunner {
    private final SdkContainers containers;
    private final Optional<RemoteBuildCache> remoteCache;
    private final BuildOutcomes outcomes;
    private final BuildLog log;

    public ModuleBuildRunner(SdkContainers containers, BuildLog log) {
        this(containers, Optional.empty(), BuildOutcomes.NONE, log);
    }

    public ModuleBuildRunner(SdkContainers containers, Optional<RemoteBuildCache> remoteCache, BuildOutcomes outcomes,
            BuildLog log) {
        this.containers = containers;
        this.remoteCache = remoteCache;
        this.outcomes = outcomes;
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
                outcomes.record(settings.module(), Outcome.UP_TO_DATE);
                return result;
            }
            times.lap("up-to-date check");
            Optional<RemoteBuildCache> cache = remoteCache.filter(c -> c.covers(build.outputsAreImages()));
            Optional<CacheKey> key = cache.map(c -> CacheKey.of(settings.coordinates(), record.kind(), inputs));
            RemoteBuildCache.Restore restore = RemoteBuildCache.Restore.MISSING;
            if (cache.isPresent() && !settings.force()) {
                restore = cache.get().restore(key.get(), inputs, record);
                times.lap("remote cache");
                if (restore == RemoteBuildCache.Restore.RESTORED) {
                    R result = build.upToDate(record);
                    outcomes.record(settings.module(), Outcome.RESTORED);
                    return result;
                }
            }
            // A build that fails from here on must never count as up to date.
            record.invalidate();
            R result = build.runSteps(new StepContext(containers, sdk, log), inputs);
            times.lap("steps");
            record.record(inputs, build.outputs(result, record));
            times.lap("record");
            if (cache.isPresent() && cache.get().writes() && restore != RemoteBuildCache.Restore.UNREACHABLE) {
                cache.get().store(key.get(), inputs, record);
                times.lap("remote cache store");
            }
            outcomes.record(settings.module(), Outcome.BUILT);
            return result;
        } finally {
            build.cleanUp();
            log.debug("timing " + settings.module() + ": " + times.render());
        }
    }
}
