package dev.twoliter.engine.sdk;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Containers that hold nothing but an empty network namespace, lent to one step container at a
 * time: a step joins a sandbox's namespace instead of having the engine create and destroy one for
 * it. Lending to one container at a time means steps that run together never share loopback. No
 * step waits for a sandbox: when none is free the step gets a namespace of its own and one more
 * sandbox is started in the background for the next; a sandbox that cannot be started turns the
 * scheme off.
 */
final class Sandboxes {
    private final Deque<String> free = new ArrayDeque<>();
    private final Executor background;
    private boolean starting;
    private boolean failing;

    Sandboxes(Executor background) {
        this.background = background;
    }

    /** A free sandbox, or null (use a namespace of your own) while {@code start} makes one for later. */
    String lease(Supplier<String> start) {
        synchronized (this) {
            String id = free.pollFirst();
            if (id != null || failing || starting) {
                return id;
            }
            starting = true;
        }
        background.execute(() -> {
            String id = null;
            try {
                id = start.get();
            } finally {
                synchronized (this) {
                    starting = false;
                    if (id == null) {
                        failing = true;
                    } else {
                        free.addLast(id);
                    }
                }
            }
        });
        return null;
    }

    /** Returns a sandbox after the container that used it is gone. */
    synchronized void release(String id) {
        if (id != null) {
            free.addFirst(id);
        }
    }

    /** A sandbox that failed a container: neither it nor new ones are lent again. */
    synchronized void discard(String id) {
        free.remove(id);
        failing = true;
    }
}
