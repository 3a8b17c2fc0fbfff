package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmContainersTest {
    private static final WarmContainers.Shape PLAIN = new WarmContainers.Shape("sha256:1", new TreeMap<>(), List.of());

    private final List<String> removed = new CopyOnWriteArrayList<>();
    private final WarmContainers<String> warm = new WarmContainers<>(removed::add);
    private final AtomicInteger started = new AtomicInteger();

    @Test
    void keepsAsManySparesPerShapeAsAsked() throws Exception {
        warm.keep(2);
        for (int i = 0; i < 5; i++) {
            warm.refill(PLAIN, () -> "c" + started.incrementAndGet());
        }
        await(() -> started.get() >= 2);
        Thread.sleep(100);
        assertThat(started.get()).isEqualTo(2);
        assertThat(List.of(warm.take(PLAIN).orElseThrow(), warm.take(PLAIN).orElseThrow()))
                .containsExactlyInAnyOrder("c1", "c2");
        assertThat(warm.take(PLAIN)).isEmpty();
        TreeMap<String, Path> kit = new TreeMap<>();
        kit.put("/work/kits/k", Path.of("/cache/k"));
        assertThat(warm.take(new WarmContainers.Shape("sha256:1", kit, List.of()))).isEmpty();
    }

    @Test
    void startsNoSparesWhenOffAndNoneForStepsWithDevices() throws Exception {
        warm.refill(PLAIN, () -> "c" + started.incrementAndGet());
        warm.keep(1);
        warm.refill(new WarmContainers.Shape("sha256:1", new TreeMap<>(), List.of("/dev/kvm")), () -> "c" + started.incrementAndGet());
        Thread.sleep(200);
        assertThat(started.get()).isZero();
    }

    @Test
    void aShapeWhoseSpareFailedGetsNoMore() throws Exception {
        warm.keep(1);
        CountDownLatch failed = new CountDownLatch(1);
        warm.refill(PLAIN, () -> {
            failed.countDown();
            throw new IllegalStateException("no bash");
        });
        assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        warm.refill(PLAIN, () -> "c" + started.incrementAndGet());
        Thread.sleep(200);
        assertThat(started.get()).isZero();
        assertThat(warm.take(PLAIN)).isEmpty();
    }

    @Test
    void closingHandsBackTheSparesAndRemovesThoseStillStarting() throws Exception {
        warm.keep(1);
        warm.refill(PLAIN, () -> "ready");
        List<String> spares = new CopyOnWriteArrayList<>();
        Thread.sleep(200);
        spares.addAll(warm.close());
        assertThat(spares).containsExactly("ready");
        CountDownLatch release = new CountDownLatch(1);
        WarmContainers<String> other = new WarmContainers<>(removed::add);
        other.keep(1);
        other.refill(PLAIN, () -> {
            release.await();
            return "late";
        });
        assertThat(other.close()).isEmpty();
        release.countDown();
        await(() -> removed.contains("late"));
        assertThat(other.take(PLAIN)).isEmpty();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
