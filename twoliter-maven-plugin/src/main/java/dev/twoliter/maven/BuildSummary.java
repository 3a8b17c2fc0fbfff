package dev.twoliter.maven;

import dev.twoliter.engine.module.BuildOutcomes;
import dev.twoliter.engine.sdk.EngineUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.SessionData;

/**
 * Counts, for one Maven session, how each module's build ended and how long steps ran in each
 * Docker engine, for {@link BuildSummaryReporter}'s line at the end. Kept in the repository
 * session's data, which every project of a parallel build shares, as JDK types only: the reporter
 * may be loaded by another class realm than the mojos.
 */
final class BuildSummary {
    private static final String KEY = "dev.twoliter.build-summary";
    private static final String OUTCOME = "outcome.";
    private static final String STEPS = "engine-steps.";
    private static final String NANOS = "engine-nanos.";
    private static final String BASE = "base.";

    private BuildSummary() {}

    /** Where the module builds of this session report their outcome. */
    static BuildOutcomes outcomes(RepositorySystemSession session) {
        ConcurrentMap<String, AtomicLong> counters = counters(session);
        return (module, outcome) -> add(counters, OUTCOME + outcome.name(), 1);
    }

    /** Remembers the engines' totals before this session's first step on them (engines live as long as the JVM). */
    static void engineBaseline(RepositorySystemSession session, List<EngineUsage> usage) {
        ConcurrentMap<String, AtomicLong> counters = counters(session);
        for (EngineUsage engine : usage) {
            counters.putIfAbsent(BASE + STEPS + engine.engine(), new AtomicLong(engine.steps()));
            counters.putIfAbsent(BASE + NANOS + engine.engine(), new AtomicLong(engine.inContainers().toNanos()));
        }
    }

    /** Takes the engines' totals after a module; the largest seen is the session's end state. */
    static void engineUsage(RepositorySystemSession session, List<EngineUsage> usage) {
        ConcurrentMap<String, AtomicLong> counters = counters(session);
        for (EngineUsage engine : usage) {
            counters.computeIfAbsent(STEPS + engine.engine(), k -> new AtomicLong()).accumulateAndGet(engine.steps(), Math::max);
            counters.computeIfAbsent(NANOS + engine.engine(), k -> new AtomicLong())
                    .accumulateAndGet(engine.inContainers().toNanos(), Math::max);
        }
    }

    /** The summary line, if any module of the session was built by the plugin. */
    @SuppressWarnings("unchecked")
    static Optional<String> line(SessionData data) {
        if (!(data.get(KEY) instanceof ConcurrentMap<?, ?> stored)) {
            return Optional.empty();
        }
        Map<String, AtomicLong> counters = (Map<String, AtomicLong>) stored;
        long built = value(counters, OUTCOME + BuildOutcomes.Outcome.BUILT.name());
        long restored = value(counters, OUTCOME + BuildOutcomes.Outcome.RESTORED.name());
        long upToDate = value(counters, OUTCOME + BuildOutcomes.Outcome.UP_TO_DATE.name());
        if (built + restored + upToDate == 0) {
            return Optional.empty();
        }
        List<String> engines = new ArrayList<>();
        new TreeMap<>(counters).forEach((key, value) -> {
            if (key.startsWith(STEPS)) {
                String engine = key.substring(STEPS.length());
                long steps = value.get() - value(counters, BASE + key);
                long nanos = value(counters, NANOS + engine) - value(counters, BASE + NANOS + engine);
                if (steps > 0) {
                    engines.add(engine + " " + String.format(Locale.ROOT, "%.1f s", nanos / 1e9) + " (" + steps
                            + (steps == 1 ? " step)" : " steps)"));
                }
            }
        });
        long modules = built + restored + upToDate;
        return Optional.of("twoliter: " + modules + (modules == 1 ? " module: " : " modules: ") + built + " built, " + restored
                + " restored from the remote cache, " + upToDate + " up to date; time in containers: "
                + (engines.isEmpty() ? "none" : String.join(", ", engines)));
    }

    private static long value(Map<String, AtomicLong> counters, String key) {
        AtomicLong value = counters.get(key);
        return value == null ? 0 : value.get();
    }

    private static void add(ConcurrentMap<String, AtomicLong> counters, String key, long amount) {
        counters.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(amount);
    }

    @SuppressWarnings("unchecked")
    private static ConcurrentMap<String, AtomicLong> counters(RepositorySystemSession session) {
        SessionData data = session.getData();
        while (true) {
            Object existing = data.get(KEY);
            if (existing instanceof ConcurrentMap<?, ?> map) {
                return (ConcurrentMap<String, AtomicLong>) map;
            }
            ConcurrentMap<String, AtomicLong> fresh = new ConcurrentHashMap<>();
            if (data.set(KEY, existing, fresh)) {
                return fresh;
            }
        }
    }
}
