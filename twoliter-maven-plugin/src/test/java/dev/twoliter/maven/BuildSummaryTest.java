package dev.twoliter.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twoliter.engine.module.BuildOutcomes;
import dev.twoliter.engine.module.BuildOutcomes.Outcome;
import dev.twoliter.engine.sdk.EngineUsage;
import java.time.Duration;
import java.util.List;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.Test;

/** The summary line: outcomes counted across modules, container time per engine for this session only. */
class BuildSummaryTest {
    private final DefaultRepositorySystemSession session = new DefaultRepositorySystemSession();

    @Test
    void nothingBuiltByThePluginPrintsNothing() {
        assertThat(BuildSummary.line(session.getData())).isEmpty();
        BuildSummary.engineBaseline(session, List.of(new EngineUsage("unix:///a", 0, Duration.ZERO)));
        assertThat(BuildSummary.line(session.getData())).isEmpty();
    }

    @Test
    void countsOutcomesAndTheSessionsOwnTimeInEachEngine() {
        // The engines served 3 steps of an earlier session in the same JVM (a daemon, an IDE).
        BuildSummary.engineBaseline(session, List.of(new EngineUsage("unix:///a", 3, Duration.ofSeconds(9)),
                new EngineUsage("tcp://b:2376", 0, Duration.ZERO)));
        BuildOutcomes outcomes = BuildSummary.outcomes(session);
        outcomes.record("g:one", Outcome.BUILT);
        outcomes.record("g:two", Outcome.RESTORED);
        outcomes.record("g:three", Outcome.RESTORED);
        outcomes.record("g:four", Outcome.UP_TO_DATE);
        BuildSummary.engineUsage(session, List.of(new EngineUsage("unix:///a", 5, Duration.ofMillis(21_400)),
                new EngineUsage("tcp://b:2376", 1, Duration.ofMillis(1_250))));
        // A module that finished earlier reports smaller totals: the largest counts.
        BuildSummary.engineUsage(session, List.of(new EngineUsage("unix:///a", 4, Duration.ofSeconds(15))));

        assertThat(BuildSummary.line(session.getData())).contains("twoliter: 4 modules: 1 built, 2 restored from the"
                + " remote cache, 1 up to date; time in containers: tcp://b:2376 1.3 s (1 step), unix:///a 12.4 s (2 steps)");
    }

    @Test
    void aBuildWithoutContainersSaysNone() {
        BuildSummary.outcomes(session).record("g:a", Outcome.UP_TO_DATE);
        assertThat(BuildSummary.line(session.getData())).contains(
                "twoliter: 1 module: 0 built, 0 restored from the remote cache, 1 up to date; time in containers: none");
    }
}
