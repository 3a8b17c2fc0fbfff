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

    /**
     * The detached OpenPGP signature published beside the manifest, or empty if the kit has none
     * (every repository answered that it does not exist). Any other failure is an error, so that a
     * signature that cannot be fetched never passes for a kit that was not signed.
     */
    default java.util.Optional<Path> signature(KitCoordinates kit) throws KitException {
        return java.util.Optional.empty();
    }

    /** Called when a resolved manifest proved bad, so that the next build fetches it again. */
    default void discardManifest(KitCoordinates kit) {}

    /** Called when a resolved payload proved bad, so that the next build fetches it again. */
    default void discardPayload(KitCoordinates kit, String arch) {}
}
