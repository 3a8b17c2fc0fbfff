package dev.twoliter.engine.kit;

import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacked kit payloads, shared by all builds of a user and keyed by the payload's digest: each
 * payload is verified against its manifest and unpacked once, into a directory that appears only
 * when complete.
 */
public final class KitCache {
    /** The only shapes a payload may contain: a yum repository of packages. */
    private static final Pattern DIRECTORY = Pattern.compile("(Packages/|Packages/[^/]+/|repodata/)");
    private static final Pattern RPM = Pattern.compile("Packages/[^/]+/[^/]+\\.rpm");
    private static final Pattern REPODATA = Pattern.compile("repodata/[^/]+");

    private final Path root;

    public KitCache(Path root) {
        this.root = root;
    }

    /**
     * Returns the unpacked repository of {@code manifest}'s payload for {@code arch}, verifying the
     * payload file first. A payload that does not match is never unpacked.
     */
    public boolean hasUnpacked(String payloadSha256) {
        return Files.isDirectory(root.resolve(payloadSha256));
    }

    public Path repository(KitManifest manifest, String arch, Path payloadFile) throws KitException, IOException {
        KitManifest.Payload expected = manifest.payload(arch);
        Path target = root.resolve(expected.sha256());
        if (Files.isDirectory(target)) {
            return target;
        }
        String actual = Digests.sha256(payloadFile);
        if (!actual.equals(expected.sha256())) {
            throw new KitException("kit " + manifest.coordinates() + ": the " + arch + " payload " + payloadFile
                    + " has sha256 " + actual + ", but the kit's manifest says " + expected.sha256()
                    + ". The repository serves a payload that is not the one published with this manifest.");
        }
        Files.createDirectories(root);
        Path temp = root.resolve(".unpack-" + UUID.randomUUID());
        try {
            unpack(manifest, arch, payloadFile, temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                // Another build unpacked the same payload first; its copy is as good as ours.
            }
            return target;
        } finally {
            AtomicFiles.deleteTree(temp);
        }
    }

    private static void unpack(KitManifest manifest, String arch, Path payloadFile, Path target)
            throws KitException, IOException {
        String kit = "kit " + manifest.coordinates() + " (" + arch + " payload " + payloadFile.getFileName() + ")";
        Set<String> expectedRpms = new HashSet<>();
        manifest.payload(arch).rpms().forEach(rpm -> expectedRpms.add(rpm.path()));
        Set<String> seenRpms = new HashSet<>();
        boolean repodata = false;
        Files.createDirectories(target);
        try (InputStream in = Files.newInputStream(payloadFile); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (name.startsWith("./")) {
                    name = name.substring(2);
                }
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw new KitException(kit + " contains the link " + name + " -> " + entry.getLinkName()
                            + "; kit payloads hold only regular files, so it is refused.");
                }
                if (name.startsWith("/") || name.contains("..") || name.contains("\\")) {
                    throw new KitException(kit + " contains the unsafe path " + name + "; refused.");
                }
                if (entry.isDirectory()) {
                    if (!DIRECTORY.matcher(name).matches()) {
                        throw new KitException(kit + " contains the unexpected directory " + name + "; refused.");
                    }
                    Files.createDirectories(target.resolve(name));
                    continue;
                }
                boolean isRpm = RPM.matcher(name).matches();
                boolean isRepodata = REPODATA.matcher(name).matches();
                if (!entry.isFile() || !(isRpm || isRepodata)) {
                    throw new KitException(kit + " contains " + name + ", which is not part of a kit's layout"
                            + " (Packages/<package>/*.rpm, repodata/*); refused.");
                }
                if (isRpm && !expectedRpms.contains(name)) {
                    throw new KitException(kit + " contains " + name + ", which its manifest does not list; refused.");
                }
                Path file = target.resolve(name).normalize();
                if (!file.startsWith(target)) {
                    throw new KitException(kit + " contains the unsafe path " + name + "; refused.");
                }
                Files.createDirectories(file.getParent());
                Files.copy(tar, file);
                if (isRpm) {
                    seenRpms.add(name);
                }
                repodata |= isRepodata;
            }
        }
        if (!seenRpms.equals(expectedRpms) || !repodata) {
            Set<String> missing = new HashSet<>(expectedRpms);
            missing.removeAll(seenRpms);
            throw new KitException(kit + " is incomplete: " + (repodata ? "" : "no repodata; ")
                    + (missing.isEmpty() ? "" : "missing " + missing) + ".");
        }
    }
}
