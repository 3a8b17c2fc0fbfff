package dev.twoliter.engine.kit;

import java.nio.file.Path;

/**
 * Where kits come from: the build tool's artifact resolution (reactor, local repository, remote
 * repositories). Implementations report problems as {@link KitException}s naming the coordinates.
 */
public interface KitSource {
    Path manifest(KitCoordinates kit) throws KitException;

    Path payload(KitCoordinates kit, String arch) throws KitException;

    /** Called when a resolved payload proved bad, so that the next build fetches it again. */
    default void discardPayload(KitCoordinates kit, String arch) {}
}
