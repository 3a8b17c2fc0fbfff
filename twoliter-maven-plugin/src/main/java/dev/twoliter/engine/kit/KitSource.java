package dev.twoliter.engine.kit;

import java.nio.file.Path;

/**
 * Where kits come from: the build tool's artifact resolution (reactor, local repository, remote
 * repositories). Implementations report problems as {@link KitException}s naming the coordinates.
 */
public interface KitSource {
    Path manifest(KitCoordinates kit) throws KitException;

    /**
     * The payload file for {@code arch}; {@code size} is what the manifest records, so that a
     * transfer bringing more can be stopped before it fills the disk.
     */
    Path payload(KitCoordinates kit, String arch, long size) throws KitException;

    /** Called when a resolved manifest proved bad, so that the next build fetches it again. */
    default void discardManifest(KitCoordinates kit) {}

    /** Called when a resolved payload proved bad, so that the next build fetches it again. */
    default void discardPayload(KitCoordinates kit, String arch) {}
}
