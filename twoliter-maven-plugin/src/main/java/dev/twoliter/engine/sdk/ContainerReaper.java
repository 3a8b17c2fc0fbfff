package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.io.ProcessOwner;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure no container outlives the build that made it. Each one carries the labels below and
 * is recorded here while it exists; it is removed when its step ends, when the JVM exits (Ctrl-C:
 * {@link #removeAll}), or, if its build was killed, by the next build that opens the client
 * ({@link #removeLeftovers}).
 */
final class ContainerReaper {
    /** Marks every container this plugin makes, so a later build finds them. */
    static final String MANAGED_LABEL = "dev.twoliter.managed";
    /** The process that made the container ({@link ProcessOwner#self()}): only a dead owner's containers are swept. */
    static final String OWNER_LABEL = "dev.twoliter.owner";

    private final DockerConnection connection;
    private final Set<String> liveContainers = ConcurrentHashMap.newKeySet();
    private final CreationGate creations = new CreationGate();

    ContainerReaper(DockerConnection connection) {
        this.connection = connection;
    }

    /** Every create request passes this gate, so the shutdown hook can wait for the ones already sent. */
    CreationGate creations() {
        return creations;
    }

    /** Records a container the engine made, before the create request leaves the gate. */
    void created(String id) {
        liveContainers.add(id);
    }

    /** Removes a container; one that cannot be removed now stays recorded for the shutdown hook. */
    void remove(String id) {
        DockerApi api = connection.loadedApi();
        if (api == null) {
            return;
        }
        try {
            api.remove(id);
        } catch (DockerApi.NotFound e) {
            // already gone
        } catch (RuntimeException e) {
            // The shutdown hook and the next build's sweep will try again.
            return;
        }
        liveContainers.remove(id);
    }

    /**
     * The shutdown hook's work: no create request starts any more, and the ones already sent are
     * waited for, so that the containers they make are removed too; then {@code stopSpares} and the
     * removal of every recorded container.
     */
    void removeAll(Runnable stopSpares) {
        // Bounded by the connect timeout, which a healthy engine's create is far below.
        creations.closeAndAwait(connection.timeouts().connect());
        // Spares are live containers too; this only stops more of them being made.
        stopSpares.run();
        // Side by side: each removal of a running container costs the engine a kill and a wait.
        List.copyOf(liveContainers).parallelStream().forEach(this::remove);
    }

    /** Removes containers left behind by builds of this machine whose process no longer runs. */
    static void removeLeftovers(DockerApi api, BuildLog log) {
        List<DockerApi.Listed> managed;
        try {
            managed = api.listContainers(MANAGED_LABEL, "true");
        } catch (RuntimeException e) {
            log.debug("Could not list leftover containers: " + DockerConnection.rootMessage(e));
            return;
        }
        int removed = 0;
        for (DockerApi.Listed c : managed) {
            String owner = c.labels().get(OWNER_LABEL);
            if (owner != null && ProcessOwner.isDeadLabel(owner)) {
                try {
                    api.remove(c.id());
                    removed++;
                } catch (RuntimeException e) {
                    log.debug("Could not remove leftover container " + c.id() + ": " + DockerConnection.rootMessage(e));
                }
            }
        }
        if (removed > 0) {
            log.info("Removed " + removed + " container(s) left behind by an interrupted twoliter build");
        }
    }
}
