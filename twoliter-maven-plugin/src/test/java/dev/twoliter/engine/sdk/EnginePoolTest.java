package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several engines as one: image checks, least-busy choice, failures named by engine; fakes, no Docker. */
class EnginePoolTest {
    private static final String REF = "twoliter-sdk:0.3.0";
    private static final String ID_A = "sha256:" + "a".repeat(64);
    private static final String ID_B = "sha256:" + "b".repeat(64);

    @TempDir
    Path dir;

    /** An engine that has the image with {@code imageId} (null: lacks it) and runs steps as told. */
    private static class FakeEngine implements SdkContainers {
        final String url;
        final String imageId;
        final List<String> ran = Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch release = new CountDownLatch(0);
        final CountDownLatch started;
        volatile TwoliterException failure;

        FakeEngine(String url, String imageId, CountDownLatch started) {
            this.url = url;
            this.imageId = imageId;
            this.started = started;
        }

        FakeEngine(String url, String imageId) {
            this(url, imageId, new CountDownLatch(0));
        }

        @Override
        public SdkImage sdkImage(String reference, boolean pullIfMissing, BuildLog log) throws BuildEnvironmentException {
            if (imageId == null) {
                throw new SdkImageMissingException("SDK image " + reference + " is not in the local Docker engine.");
            }
            return new SdkImage(reference, imageId, "twoliter-sdk", "0.2.0", List.of("x86_64"), Map.of());
        }

        @Override
        public StepOutcome run(ContainerStep step, Path scratchDir) throws TwoliterException {
            ran.add(step.name());
            started.countDown();
            if (failure != null) {
                throw failure;
            }
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never released step " + step.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return new StepOutcome(0, step.logFile());
        }

        @Override
        public List<EngineUsage> usage() {
            return List.of(new EngineUsage(url, ran.size(), Duration.ofSeconds(ran.size())));
        }

        EnginePool.Member member() {
            return new EnginePool.Member(url, this);
        }
    }

    private ContainerStep step(String name, List<String> logLines) {
        return new ContainerStep(name, null, "true", Map.of(), Map.of(), Map.of(), null, null,
                dir.resolve(name + ".log"), Duration.ofMinutes(1), logLines::add);
    }

    private ContainerStep step(String name) {
        return step(name, Collections.synchronizedList(new ArrayList<>()));
    }

    private static EnginePool pool(FakeEngine... engines) {
        return new EnginePool(java.util.Arrays.stream(engines).map(FakeEngine::member).toList());
    }

    @Test
    void theSameImageEverywhereIsTheImage() throws Exception {
        FakeEngine a = new FakeEngine("unix:///a.sock", ID_A);
        FakeEngine b = new FakeEngine("unix:///b.sock", ID_A);
        assertThat(pool(a, b).sdkImage(REF, false, BuildLog.SILENT).id()).isEqualTo(ID_A);
    }

    @Test
    void anotherImageUnderTheSameReferenceNamesTheEngineBothIdsAndTheCopyCommand() {
        FakeEngine a = new FakeEngine("unix:///a.sock", ID_A);
        FakeEngine b = new FakeEngine("tcp://build2:2376", ID_B);
        assertThatThrownBy(() -> pool(a, b).sdkImage(REF, false, BuildLog.SILENT))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Docker engine tcp://build2:2376: SDK image twoliter-sdk:0.3.0 is " + ID_B + " there, but "
                        + ID_A + " at Docker engine unix:///a.sock. Every engine must run steps in the very same image;"
                        + " copy it from the first: `docker -H unix:///a.sock save twoliter-sdk:0.3.0 | docker -H"
                        + " tcp://build2:2376 load`.");
    }

    @Test
    void anEngineWithoutTheImageIsNamedWithTheCopyCommand() {
        FakeEngine a = new FakeEngine("unix:///a.sock", null);
        FakeEngine b = new FakeEngine("unix:///b.sock", ID_B);
        FakeEngine c = new FakeEngine("unix:///c.sock", null);
        assertThatThrownBy(() -> pool(a, b, c).sdkImage(REF, false, BuildLog.SILENT))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Docker engine unix:///a.sock: SDK image twoliter-sdk:0.3.0 is not there, but Docker engine"
                        + " unix:///b.sock has it (" + ID_B + "). Every engine must run steps in the very same image;"
                        + " copy it: `docker -H unix:///b.sock save twoliter-sdk:0.3.0 | docker -H unix:///a.sock load`"
                        + " (and the same for unix:///c.sock).");
    }

    @Test
    void anImageNoEngineHasKeepsTheEnginesAdviceAndSaysToCopyIt() {
        FakeEngine a = new FakeEngine("unix:///a.sock", null);
        FakeEngine b = new FakeEngine("unix:///b.sock", null);
        assertThatThrownBy(() -> pool(a, b).sdkImage(REF, false, BuildLog.SILENT))
                .hasMessageStartingWith("Docker engine unix:///a.sock: SDK image twoliter-sdk:0.3.0 is not in the local"
                        + " Docker engine. None of the 2 Docker engines has it;")
                .hasMessageContaining("docker save twoliter-sdk:0.3.0 | docker -H <engine> load");
    }

    @Test
    void anEngineThatCannotBeAskedIsNamed() {
        FakeEngine a = new FakeEngine("unix:///a.sock", ID_A);
        SdkContainers broken = new FakeEngine("unix:///b.sock", ID_A) {
            @Override
            public SdkImage sdkImage(String reference, boolean pullIfMissing, BuildLog log)
                    throws BuildEnvironmentException {
                throw new BuildEnvironmentException("Cannot inspect SDK image " + reference + ": Broken pipe");
            }
        };
        EnginePool pool = new EnginePool(List.of(a.member(), new EnginePool.Member("unix:///b.sock", broken)));
        assertThatThrownBy(() -> pool.sdkImage(REF, false, BuildLog.SILENT))
                .hasMessage("Docker engine unix:///b.sock: Cannot inspect SDK image twoliter-sdk:0.3.0: Broken pipe");
    }

    @Test
    void stepsOneAfterAnotherAllGoToTheFirstEngineAndSayWhere() throws Exception {
        FakeEngine a = new FakeEngine("unix:///a.sock", ID_A);
        FakeEngine b = new FakeEngine("unix:///b.sock", ID_A);
        EnginePool pool = pool(a, b);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(pool.run(step("s" + i, lines), dir).succeeded()).isTrue();
        }
        assertThat(a.ran).containsExactly("s0", "s1", "s2");
        assertThat(b.ran).isEmpty();
        assertThat(lines).containsExactly("twoliter: step 's0' runs on Docker at unix:///a.sock",
                "twoliter: step 's1' runs on Docker at unix:///a.sock",
                "twoliter: step 's2' runs on Docker at unix:///a.sock");
    }

    @Test
    void stepsAtTheSameTimeAreSpreadEvenlyOverTheEngines() throws Exception {
        int steps = 12;
        CountDownLatch started = new CountDownLatch(steps);
        CountDownLatch release = new CountDownLatch(1);
        List<FakeEngine> engines = IntStream.range(0, 3).mapToObj(i -> new FakeEngine("unix:///" + i + ".sock", ID_A,
                started)).toList();
        engines.forEach(e -> e.release = release);
        EnginePool pool = pool(engines.toArray(FakeEngine[]::new));
        ExecutorService threads = Executors.newFixedThreadPool(steps);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<StepOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < steps; i++) {
                ContainerStep step = step("s" + i);
                outcomes.add(threads.submit(() -> {
                    go.await();
                    return pool.run(step, dir);
                }));
            }
            go.countDown();
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            // Every choice saw the others' counts: 12 running steps over 3 engines is 4 each, never 5 and 3.
            assertThat(engines).allSatisfy(e -> assertThat(e.ran).hasSize(4));
            release.countDown();
            for (Future<StepOutcome> outcome : outcomes) {
                assertThat(outcome.get(30, TimeUnit.SECONDS).succeeded()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theNextStepGoesToTheEngineWithTheFewestRunning() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeEngine a = new FakeEngine("unix:///a.sock", ID_A);
        FakeEngine b = new FakeEngine("unix:///b.sock", ID_A);
        FakeEngine c = new FakeEngine("unix:///c.sock", ID_A);
        a.release = release;
        b.release = release;
        c.release = release;
        EnginePool pool = pool(a, b, c);
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            // All idle: the first in the list; then the first of the idle ones.
            Future<?> first = threads.submit(() -> pool.run(step("first"), dir));
            awaitRan(a, 1);
            Future<?> second = threads.submit(() -> pool.run(step("second"), dir));
            awaitRan(b, 1);
            // Now a and b run one step each, c none: c is the least busy.
            c.release = new CountDownLatch(0);
            assertThat(pool.run(step("third"), dir).succeeded()).isTrue();
            assertThat(c.ran).containsExactly("third");
            assertThat(a.ran).containsExactly("first");
            assertThat(b.ran).containsExactly("second");
            release.countDown();
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
            // All idle again: the first engine in the list.
            assertThat(pool.run(step("fourth"), dir).succeeded()).isTrue();
            assertThat(a.ran).containsExactly("first", "fourth");
        } finally {
            threads.shutdownNow();
        }
    }

    private static void awaitRan(FakeEngine engine, int steps) throws InterruptedException {
        for (int i = 0; i < 3000 && engine.ran.size() < steps; i++) {
            Thread.sleep(10);
        }
        assertThat(engine.ran).hasSize(steps);
    }

    @Test
    void anEngineThatFailsFailsItsStepWithItsNameAndIsNotRetriedElsewhere() throws Exception {
        FakeEngine a = new FakeEngine("tcp://***@build1:2376", ID_A);
        FakeEngine b = new FakeEngine("unix:///b.sock", ID_A);
        a.failure = new BuildEnvironmentException("Could not create the container for step 'g-a': Docker at"
                + " tcp://***@build1:2376 failed (Connection refused).");
        EnginePool pool = pool(a, b);
        assertThatThrownBy(() -> pool.run(step("g-a"), dir))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Docker engine tcp://***@build1:2376: Could not create the container for step 'g-a': Docker"
                        + " at tcp://***@build1:2376 failed (Connection refused).");
        assertThat(b.ran).isEmpty();
        // The failed step no longer counts as running: the next one goes to the first engine again.
        a.failure = null;
        pool.run(step("g-b"), dir);
        assertThat(a.ran).containsExactly("g-a", "g-b");
    }

    @Test
    void aStepThatFailsByItselfIsNotBlamedOnTheEngine() {
        FakeEngine a = new FakeEngine("unix:///a.sock", ID_A);
        FakeEngine b = new FakeEngine("unix:///b.sock", ID_A);
        a.failure = new TwoliterException("Step 'g-a' did not finish within 60 minutes and was stopped.");
        assertThatThrownBy(() -> pool(a, b).run(step("g-a"), dir))
                .hasMessage("Step 'g-a' did not finish within 60 minutes and was stopped.");
    }

    @Test
    void usageListsEveryEngineInOrder() throws Exception {
        FakeEngine a = new FakeEngine("unix:///a.sock", ID_A);
        FakeEngine b = new FakeEngine("unix:///b.sock", ID_A);
        EnginePool pool = pool(a, b);
        pool.run(step("s"), dir);
        assertThat(pool.usage()).containsExactly(new EngineUsage("unix:///a.sock", 1, Duration.ofSeconds(1)),
                new EngineUsage("unix:///b.sock", 0, Duration.ZERO));
        assertThat(pool.engines()).containsExactly("unix:///a.sock", "unix:///b.sock");
    }

    @Test
    void aPoolOfOneIsAMistake() {
        assertThatThrownBy(() -> pool(new FakeEngine("unix:///a.sock", ID_A)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostListsAreTrimmedAndKeepTheirOrder() throws Exception {
        assertThat(EnginePool.parseHosts(" unix:///var/run/docker.sock , tcp://build2:2376", "twoliter.dockerHosts"))
                .containsExactly("unix:///var/run/docker.sock", "tcp://build2:2376");
        assertThat(EnginePool.parseHosts("unix:///a.sock", "twoliter.dockerHosts")).containsExactly("unix:///a.sock");
    }

    @Test
    void everyBadEntryOfAHostListIsNamedAtOnce() {
        assertThatThrownBy(() -> EnginePool.parseHosts("unix:///a.sock,,unix:///a.sock,foo://x,ssh://me@build2",
                "twoliter.dockerHosts"))
                .isInstanceOf(TwoliterException.class)
                .hasMessageStartingWith("twoliter.dockerHosts must be a comma-separated list of Docker engine URLs"
                        + " (unix:///var/run/docker.sock, tcp://host:2376): entry 2 is empty; 'unix:///a.sock' appears"
                        + " more than once; Docker host 'foo://x' is not a Docker endpoint URL")
                .hasMessageContaining("Docker host 'ssh://***@build2' uses ssh://")
                .hasMessageNotContaining("me@");
    }

    @Test
    void aHostListOfMoreThanSixteenEnginesIsRefused() {
        String seventeen = IntStream.range(0, 17).mapToObj(i -> "unix:///run/d" + i + ".sock")
                .collect(Collectors.joining(","));
        assertThatThrownBy(() -> EnginePool.parseHosts(seventeen, "twoliter.dockerHosts"))
                .hasMessageContaining("it names 17 engines, at most 16 are allowed.");
    }
}
