package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CreationGateTest {

    @Test
    void closingWaitsForTheRequestInFlightAndRefusesNewOnes() throws Exception {
        CreationGate gate = new CreationGate();
        assertThat(gate.enter()).isTrue();
        CountDownLatch closed = new CountDownLatch(1);
        boolean[] answered = new boolean[1];
        Thread hook = new Thread(() -> {
            answered[0] = gate.closeAndAwait(Duration.ofSeconds(30));
            closed.countDown();
        });
        hook.start();
        // the hook waits while the create request is out
        assertThat(closed.await(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(gate.enter()).as("no create starts once the build is stopping").isFalse();
        gate.exit();
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(answered[0]).isTrue();
    }

    @Test
    void aRequestThatNeverAnswersCostsOnlyTheBound() {
        CreationGate gate = new CreationGate();
        gate.enter();
        long start = System.nanoTime();
        assertThat(gate.closeAndAwait(Duration.ofMillis(100))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anIdleGateClosesAtOnce() {
        assertThat(new CreationGate().closeAndAwait(Duration.ZERO)).isTrue();
    }
}
