package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SandboxesTest {
    /** Runs background work at once, so the tests see its effect on the next lease. */
    private final Sandboxes sandboxes = new Sandboxes(Runnable::run);
    private final AtomicInteger started = new AtomicInteger();

    @Test
    void noStepWaitsForASandboxAndEachIsLentToOneContainerAtATime() {
        assertThat(sandboxes.lease(() -> "s" + started.incrementAndGet())).isNull();
        String first = sandboxes.lease(() -> "s" + started.incrementAndGet());
        assertThat(first).isEqualTo("s1");
        assertThat(sandboxes.lease(() -> "s" + started.incrementAndGet())).isNull();
        assertThat(sandboxes.lease(() -> "s" + started.incrementAndGet())).isEqualTo("s2");
        sandboxes.release(first);
        assertThat(sandboxes.lease(() -> "s" + started.incrementAndGet())).isEqualTo("s1");
        assertThat(started.get()).isEqualTo(2);
    }

    @Test
    void whenASandboxCannotStartStepsGetTheirOwnNamespaceFromThenOn() {
        assertThat(sandboxes.lease(() -> null)).isNull();
        assertThat(sandboxes.lease(() -> "s" + started.incrementAndGet())).isNull();
        assertThat(started.get()).isZero();
    }

    @Test
    void aDiscardedSandboxIsNotLentAgain() {
        sandboxes.lease(() -> "s1");
        String first = sandboxes.lease(() -> "s2");
        sandboxes.release(first);
        sandboxes.discard(first);
        assertThat(sandboxes.lease(() -> "s3")).isNull();
    }
}
