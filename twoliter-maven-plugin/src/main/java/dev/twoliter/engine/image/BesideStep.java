package dev.twoliter.engine.image;

import dev.twoliter.engine.TwoliterException;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * An image step that needs nothing from the steps before it, run on its own thread (and so in its
 * own container) while the pipeline goes on; the pipeline takes its result where it needs it.
 */
final class BesideStep<T> {
    interface Work<T> {
        T run() throws TwoliterException, IOException;
    }

    private final FutureTask<T> task;

    private BesideStep(FutureTask<T> task) {
        this.task = task;
    }

    static <T> BesideStep<T> start(String name, Work<T> work) {
        FutureTask<T> task = new FutureTask<>(work::run);
        Thread thread = new Thread(task, "twoliter-step-" + name);
        thread.setDaemon(true);
        thread.start();
        return new BesideStep<>(task);
    }

    /** The step's result, or its failure as the step threw it. */
    T await() throws TwoliterException, IOException {
        try {
            return awaitUninterruptibly();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TwoliterException t) {
                throw t;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Waits for a step whose result is no longer wanted because the pipeline failed: its container
     * is removed when it ends, and the pipeline's own failure is the one to report.
     */
    static void abandon(BesideStep<?> step) {
        if (step != null) {
            try {
                step.awaitUninterruptibly();
            } catch (ExecutionException e) {
                // the pipeline's failure came first
            }
        }
    }

    private T awaitUninterruptibly() throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
