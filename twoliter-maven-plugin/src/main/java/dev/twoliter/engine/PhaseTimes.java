package dev.twoliter.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock time of each phase of one piece of work (a module build, a container step), rendered
 * as one debug line ({@code mvn -X}, or {@code -Dorg.slf4j.simpleLogger.log.dev.twoliter=debug}).
 * This is how docs/performance.md's breakdown was measured: where the time goes, taken where it is
 * spent, with no profiler attached.
 */
public final class PhaseTimes {
    private final long started = System.nanoTime();
    private long last = started;
    private final List<String> phases = new ArrayList<>();

    /** Ends the current phase under {@code name}; the next one starts now. */
    public synchronized void lap(String name) {
        long now = System.nanoTime();
        phases.add(name + " " + TimeUnit.NANOSECONDS.toMillis(now - last) + " ms");
        last = now;
    }

    /** For example {@code create 41 ms, copy in 12 ms, run 480 ms (total 533 ms)}. */
    public synchronized String render() {
        return String.join(", ", phases) + " (total " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                + " ms)";
    }
}
