package dev.twoliter.engine.kit;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Temporaries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Puts a kit payload into the kit cache: checks the payload file against its manifest (size, then
 * sha256), unpacks it into a temporary directory next to its place and renames it into place, so
 * that the copy appears only when complete. Leftovers of killed builds are swept on the way.
 */
final class PayloadInstaller {
    private final Path root;
    private final BuildLog log;

    /** @param root the kit cache (absolute and normalized) */
    PayloadInstaller(Path root, BuildLog log) {
        this.root = root;
        this.log = log;
    }

    /**
     * Verifies the payload file and unpacks it as {@code target}. Returns false if the target
     * appeared meanwhile in a form this build did not make (the caller checks it again).
     */
    boolean install(KitManifest manifest, String arch, KitManifest.Payload expected, Path payloadFile, Path target)
            throws KitException, IOException {
        // One open file for checking and unpacking, so that the bytes unpacked are the bytes checked
        // even if someone replaces the file meanwhile.
        try (FileChannel channel = FileChannel.open(payloadFile, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size != expected.size()) {
                throw new KitPayloadException("kit " + manifest.coordinates() + ": the " + arch + " payload "
                        + payloadFile + " has " + size + " bytes, but the kit's manifest says " + expected.size()
                        + " bytes. The repository serves a payload that is not the one published with this manifest.");
            }
            String actual = sha256(channel);
            if (!actual.equals(expected.sha256())) {
                throw new KitPayloadException("kit " + manifest.coordinates() + ": the " + arch + " payload "
                        + payloadFile + " has sha256 " + actual + ", but the kit's manifest says " + expected.sha256()
                        + ". The repository serves a payload that is not the one published with this manifest.");
            }
            channel.position(0);
            Files.createDirectories(root);
            sweep();
            Path temp = Temporaries.newDirectory(root, "unpack");
            try {
                InputStream in = Channels.newInputStream(channel);
                CacheIndex index = new PayloadUnpacker(manifest, arch, payloadFile).unpack(in, expected.sha256(), temp);
                index.write(temp);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        // Another build unpacked the same payload first; its copy is as good as ours.
                        return true;
                    }
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        return false;
                    }
                    throw e;
                }
                CacheTrees.makeReadOnly(target, log);
                return true;
            } finally {
                CacheTrees.deleteTree(temp);
            }
        }
    }

    /** Removes the leftovers of killed builds (only theirs: running builds' temporaries stay). */
    private void sweep() {
        List<String> removed = Temporaries.sweep(root);
        if (!removed.isEmpty()) {
            log.info("kit cache " + root + ": removed " + removed.size() + " leftover(s) of interrupted builds: "
                    + String.join(", ", removed));
        }
    }

    private static String sha256(FileChannel channel) throws IOException {
        MessageDigest digest = Digests.newDigest("SHA-256");
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            digest.update(buffer);
            buffer.clear();
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
