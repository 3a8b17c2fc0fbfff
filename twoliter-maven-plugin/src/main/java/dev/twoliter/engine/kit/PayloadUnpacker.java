package dev.twoliter.engine.kit;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Tars;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one verified payload archive into an empty directory, trusting nothing in it: every
 * entry must be a plain file or directory of the kit layout, every size is checked against what
 * is left of the payload and against the manifest before a byte is written, and every RPM must
 * have the manifest's size and digest. Problems are {@link KitPayloadException}s naming the kit,
 * arch, payload file and entry.
 */
final class PayloadUnpacker {
    private final String kit;
    private final long payloadSize;
    private final Map<String, KitManifest.Rpm> rpms = new HashMap<>();
    private final Set<String> allowedDirectories = new HashSet<>();

    PayloadUnpacker(KitManifest manifest, String arch, Path payloadFile) throws KitException {
        KitManifest.Payload payload = manifest.payload(arch);
        this.kit = "kit " + manifest.coordinates() + " (" + arch + " payload " + payloadFile + ")";
        this.payloadSize = payload.size();
        allowedDirectories.add(KitLayout.PACKAGES);
        allowedDirectories.add(KitLayout.REPODATA);
        for (KitManifest.Rpm rpm : payload.rpms()) {
            rpms.put(rpm.path(), rpm);
            allowedDirectories.addAll(KitLayout.parents(rpm.path()));
        }
    }

    /**
     * Unpacks the archive read from {@code in} into {@code target} (an empty directory) and returns
     * the index of what it wrote.
     */
    CacheIndex unpack(InputStream in, String payloadSha256, Path target) throws KitException, IOException {
        SortedSet<String> directories = new TreeSet<>();
        SortedMap<String, CacheIndex.FileRecord> files = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        int repodataFiles = 0;
        long extracted = 0;
        String previous = null;
        CountingInputStream counting = new CountingInputStream(new BufferedInputStream(in, 1 << 16));
        try (TarArchiveInputStream tar = Tars.reader(counting)) {
            for (TarArchiveEntry entry; (entry = next(tar, previous)) != null; ) {
                String name = entry.getName();
                previous = name;
                Optional<String> kind = Tars.unsupportedKind(entry);
                if (kind.isPresent()) {
                    throw refused("contains " + Syntax.show(name) + ", which is " + kind.get()
                            + "; kit payloads hold only regular files and directories");
                }
                String path = name.startsWith("./") ? name.substring(2) : name;
                if (entry.isDirectory() && path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
                if (entry.isDirectory() && path.isEmpty() && name.equals("./")) {
                    continue; // the archive's root, as `tar -C dir .` writes it
                }
                Optional<String> unsafe = Tars.unsafePath(path);
                if (unsafe.isPresent()) {
                    throw refused("contains the unsafe path " + Syntax.show(name) + " (" + unsafe.get() + ")");
                }
                if (!seen.add(path)) {
                    throw refused("contains " + Syntax.show(name) + " twice");
                }
                if (entry.isDirectory()) {
                    if (!allowedDirectories.contains(path)) {
                        throw refused("contains the directory " + Syntax.show(name) + ", which is not part of a kit's"
                                + " layout (Packages/<directory of a listed RPM>/, repodata/)");
                    }
                    Files.createDirectories(KitCache.under(target, path));
                    directories.add(path);
                    continue;
                }
                KitManifest.Rpm rpm = rpms.get(path);
                boolean repodata = KitLayout.isRepodataFile(path);
                if (rpm == null && !repodata) {
                    throw refused("contains " + Syntax.show(name) + (KitLayout.isRpm(path)
                            ? ", which its manifest does not list"
                            : ", which is not part of a kit's layout (Packages/<directory>/<file>.rpm listed in the"
                                    + " manifest, repodata/<file>)"));
                }
                if (repodata && ++repodataFiles > KitLayout.MAX_REPODATA_FILES) {
                    throw refused("has more than " + KitLayout.MAX_REPODATA_FILES + " files in repodata/ (at "
                            + Syntax.show(name) + ")");
                }
                long size = entry.getSize();
                long unread = payloadSize - counting.count();
                if (size > unread) {
                    throw refused("has an entry " + Syntax.show(name) + " that declares " + size + " bytes, but only "
                            + Math.max(unread, 0) + " bytes of the payload follow its header");
                }
                if (rpm != null && size != rpm.size()) {
                    throw refused("contains " + Syntax.show(name) + " of " + size + " bytes, but its manifest says "
                            + rpm.size() + " bytes");
                }
                if (size > payloadSize - extracted) {
                    throw refused("would unpack more than the payload's " + payloadSize + " bytes (at "
                            + Syntax.show(name) + ", after " + extracted + " bytes)");
                }
                Path file = KitCache.under(target, path);
                for (String parent : KitLayout.parents(path)) {
                    directories.add(parent);
                }
                Files.createDirectories(file.getParent());
                String sha256 = copy(tar, file, size, name);
                if (rpm != null && !sha256.equals(rpm.sha256())) {
                    throw refused("contains " + Syntax.show(name) + " with sha256 " + sha256 + ", but its manifest says "
                            + rpm.sha256() + "; the RPM is not the one the vendor published");
                }
                CacheTrees.setPermissions(file, CacheTrees.READ_ONLY_FILE);
                files.put(path, CacheIndex.record(file, sha256));
                extracted += size;
            }
        }
        Set<String> missing = new TreeSet<>(rpms.keySet());
        missing.removeAll(files.keySet());
        List<String> gaps = new ArrayList<>();
        if (repodataFiles == 0) {
            gaps.add("no repodata");
        }
        if (!missing.isEmpty()) {
            gaps.add("missing " + String.join(", ", missing.stream().map(Syntax::show).toList()));
        }
        if (!gaps.isEmpty()) {
            throw new KitPayloadException(kit + " is incomplete: " + String.join("; ", gaps) + ".");
        }
        return new CacheIndex(payloadSha256, directories, files);
    }

    private KitPayloadException refused(String what) {
        return new KitPayloadException(kit + " " + what + "; refused.");
    }

    /** The next entry; whatever commons-compress reports by exception means the archive is unusable. */
    private TarArchiveEntry next(TarArchiveInputStream tar, String previous) throws KitPayloadException {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new KitPayloadException(kit + " is not a readable tar archive: " + e.getMessage()
                    + (previous == null ? " (at its first entry)" : " (after entry " + Syntax.show(previous) + ")"), e);
        }
    }

    /** Copies exactly the declared size (never more) and returns the sha256 of what was copied. */
    private String copy(TarArchiveInputStream tar, Path file, long size, String name) throws KitException, IOException {
        MessageDigest digest = Digests.newDigest("SHA-256");
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (copied < size) {
                int n;
                try {
                    n = tar.read(buffer, 0, (int) Math.min(buffer.length, size - copied));
                } catch (IOException | IllegalArgumentException | IllegalStateException e) {
                    throw new KitPayloadException(kit + " is not a readable tar archive: " + e.getMessage() + " (in entry "
                            + Syntax.show(name) + ")", e);
                }
                if (n < 0) {
                    throw refused("ends in the middle of " + Syntax.show(name) + " (after " + copied + " of its " + size
                            + " bytes)");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                copied += n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Counts the bytes the tar reader has consumed, to bound what an entry may still declare. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += Math.max(skipped, 0);
            return skipped;
        }
    }
}
