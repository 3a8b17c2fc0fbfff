package dev.twoliter.engine.sdk;

import java.time.Duration;

/**
 * Lets the shutdown hook see every container: a container whose create request is still on its
 * way to the engine when Ctrl-C arrives is not yet known to the build, and the engine creates it
 * anyway. The hook closes the gate (no create starts after that) and waits, within a bound, for
 * the requests already sent, so that the containers they make are removed with the rest.
 */
final class CreationGate {
    private int inFlight;
    private boolean closed;

    /** Called before a create request; false once the build is stopping. */
    synchronized boolean enter() {
        if (closed) {
            return false;
        }
        inFlight++;
        return true;
    }

    /** Called after the request answered and its container was recorded (or it failed). */
    synchronized void exit() {
        inFlight--;
        notifyAll();
    }

    /** Closes the gate; true if every request in flight answered within {@code bound}. */
    synchronized boolean closeAndAwait(Duration bound) {
        closed = true;
        long deadline = System.nanoTime() + bound.toNanos();
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
