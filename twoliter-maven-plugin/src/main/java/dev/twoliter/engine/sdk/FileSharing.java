package dev.twoliter.engine.sdk;

import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Temporaries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Whether the engine sees this machine's files at the same paths, which decides how a step's files
 * reach its container. A local engine mounts read-only directories and gives each container an
 * exchange directory ({@link StepExchange}); a remote one gets everything as archives through the
 * API. A unix:// socket is not proof: a remote engine's socket forwarded over SSH or Docker outside
 * of Docker looks local, so the first container's exchange directory is checked and the build falls
 * back to archives, kits included, if the engine does not see it.
 */
final class FileSharing {
    /** Where an engine's directory of exchange directories is made. */
    interface BaseDirectory {
        Path get() throws IOException;
    }

    private final boolean localEngine;
    private final BaseDirectory base;
    private final Duration readyWait;
    /** Null until the first step shows whether the engine sees this machine's files at the same paths. */
    private volatile Boolean exchangeWorks;
    /**
     * Set when a unix:// engine turned out not to see this machine's files: kits then travel as
     * archives too, since a mount would show the engine's own, empty directory.
     */
    private volatile boolean filesElsewhere;
    private volatile Path exchangeRoot;

    /** For the engine at {@code host}: exchange directories under the user's cache, 10 s for the first to be seen. */
    FileSharing(String host) {
        this(host.startsWith("unix://"), StepExchange::baseDirectory, Duration.ofSeconds(10));
    }

    /**
     * @param readyWait how long the first container may take to show that it sees its exchange directory
     */
    FileSharing(boolean localEngine, BaseDirectory base, Duration readyWait) {
        this.localEngine = localEngine;
        this.base = base;
        this.readyWait = readyWait;
    }

    /** True if read-only directories can be mounted rather than copied in. */
    boolean sharesFileSystem() {
        return localEngine && !filesElsewhere;
    }

    /** True if a new container should get an exchange directory: not known not to work. */
    boolean exchangeWanted() {
        return sharesFileSystem() && !Boolean.FALSE.equals(exchangeWorks);
    }

    /** True until the first container with an exchange directory was checked. */
    boolean exchangeUnchecked() {
        return exchangeWorks == null;
    }

    /** Moves step files through the API from now on (a remote engine's way, or no place for exchange directories). */
    void useArchives() {
        exchangeWorks = false;
    }

    /**
     * Waits for the container behind {@code exchange} to show it sees the directory; if it does not,
     * this and every later step use archives and copies instead of mounts. True if it works.
     */
    boolean checkExchange(StepExchange exchange) {
        boolean works = exchange.awaitReady(readyWait);
        exchangeWorks = works;
        if (!works) {
            filesElsewhere = true;
        }
        return works;
    }

    /** This engine's directory of exchange directories, made on first use; leftovers of killed builds are swept then. */
    Path exchangeRoot() throws IOException {
        Path root = exchangeRoot;
        if (root == null) {
            synchronized (this) {
                root = exchangeRoot;
                if (root == null) {
                    Path dir = base.get();
                    Temporaries.sweep(dir);
                    root = Temporaries.newDirectory(dir, "exchange");
                    exchangeRoot = root;
                }
            }
        }
        return root;
    }

    /** Removes every exchange directory of this engine, at the end of the build. */
    void deleteExchangeRoot() {
        Path root = exchangeRoot;
        if (root != null) {
            try {
                AtomicFiles.deleteTree(root);
            } catch (IOException e) {
                // the next build sweeps it
            }
        }
    }
}
