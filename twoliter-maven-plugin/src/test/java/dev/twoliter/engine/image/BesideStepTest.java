package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.TwoliterException;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BesideStepTest {
    @Test
    void theResultComesFromTheStepsOwnThread() throws Exception {
        BesideStep<String> step = BesideStep.start("test", () -> Thread.currentThread().getName());
        assertThat(step.await()).isEqualTo("twoliter-step-test");
    }

    @Test
    void aFailureReachesThePipelineAsTheStepThrewIt() {
        TwoliterException failure = new TwoliterException("GRUB failed");
        assertThatThrownBy(() -> BesideStep.start("t", () -> { throw failure; }).await()).isSameAs(failure);
        IOException io = new IOException("disk full");
        assertThatThrownBy(() -> BesideStep.start("t", () -> { throw io; }).await()).isSameAs(io);
        IllegalStateException bug = new IllegalStateException("bug");
        assertThatThrownBy(() -> BesideStep.start("t", () -> { throw bug; }).await()).isSameAs(bug);
    }

    @Test
    void abandoningWaitsForTheStepToEndAndSwallowsItsFailure() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        BesideStep<Void> step = BesideStep.start("t", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended.set(true);
            throw new IOException("late failure");
        });
        Thread releaser = new Thread(() -> {
            sleep(100);
            release.countDown();
        });
        releaser.start();
        BesideStep.abandon(step);
        assertThat(ended).isTrue();
        BesideStep.abandon(null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
