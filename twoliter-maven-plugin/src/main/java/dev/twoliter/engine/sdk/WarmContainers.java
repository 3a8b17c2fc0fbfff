package dev.twoliter.engine.sdk;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Containers created and started before a step needs them. Starting a container costs the engine
 * about 0.2 s (shim, runc, namespaces), as much as a small rpmbuild; done while the previous step
 * runs, it leaves the critical path. Each container is still used by exactly one step: it waits,
 * idle and network-less, until its step's inputs and script are copied in, runs that step as its
 * main process and is removed. Only the things fixed at creation (SDK image, read-only mounts)
 * must match, which is the {@link Shape}; a step whose shape has no container ready creates its
 * own, as before.
 */
final class WarmContainers<C> {
    /** What a container fixes at creation; steps with the same shape can use each other's spares. */
    record Shape(String imageId, SortedMap<String, Path> readOnlyMounts, List<String> devices) {}

    private final Map<Shape, Deque<C>> ready = new HashMap<>();
    private final Map<Shape, Integer> starting = new HashMap<>();
    private final Set<Shape> failing = new HashSet<>();
    private final ExecutorService starter = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "twoliter-warm-containers");
        t.setDaemon(true);
        return t;
    });
    private final Consumer<C> remover;
    private int perShape;
    private boolean closed;

    /** @param remover removes a container that was started but will not be used */
    WarmContainers(Consumer<C> remover) {
        this.remover = remover;
    }

    /** How many spares to keep per shape: one per build thread, so that -T N never waits for a start. */
    synchronized void keep(int count) {
        perShape = Math.max(0, count);
    }

    synchronized Optional<C> take(Shape shape) {
        Deque<C> spares = ready.get(shape);
        return Optional.ofNullable(spares == null ? null : spares.pollFirst());
    }

    /**
     * Starts spares of {@code shape} in the background up to the target. A shape whose spare could
     * not be started gets no more: its steps create their own and report the error properly.
     */
    void refill(Shape shape, Callable<C> startOne) {
        synchronized (this) {
            int have = ready.getOrDefault(shape, new ArrayDeque<>()).size() + starting.getOrDefault(shape, 0);
            if (closed || !shape.devices().isEmpty() || failing.contains(shape) || have >= perShape) {
                return;
            }
            starting.merge(shape, 1, Integer::sum);
        }
        starter.execute(() -> {
            C id = null;
            try {
                id = startOne.call();
            } catch (Exception | LinkageError e) {
                synchronized (this) {
                    failing.add(shape);
                }
            } finally {
                boolean unwanted;
                synchronized (this) {
                    starting.merge(shape, -1, Integer::sum);
                    unwanted = closed;
                    if (id != null && !closed) {
                        ready.computeIfAbsent(shape, s -> new ArrayDeque<>()).addLast(id);
                    }
                }
                if (id != null && unwanted) {
                    remover.accept(id);
                }
            }
        });
    }

    /** Stops making spares and hands back the ones not used, for removal. */
    synchronized List<C> close() {
        closed = true;
        List<C> spares = new ArrayList<>();
        ready.values().forEach(spares::addAll);
        ready.clear();
        return spares;
    }
}
