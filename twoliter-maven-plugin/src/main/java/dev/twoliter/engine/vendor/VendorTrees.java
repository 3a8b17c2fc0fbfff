package dev.twoliter.engine.vendor;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.io.Tars;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Finds the trees of a module whose dependencies are vendored: the module's own files when they
 * hold {@code go.mod} and {@code go.sum} (or {@code Cargo.toml} and {@code Cargo.lock}) at the top,
 * and the archives the module declares for vendoring, whose lock file is read straight from the
 * archive (tar, compressed with gzip, xz or bzip2).
 */
public final class VendorTrees {
    /** Lock files of the largest projects are a few MiB. */
    static final long MAX_LOCK_BYTES = 16L << 20;

    /** An archive among the sources that the module asks to vendor, and where in it the project is. */
    public record ArchiveRequest(String fileName, Path file, VendorKind kind, Optional<String> root) {}

    private VendorTrees() {}

    /** The module's own tree of each kind, if its files make one and it does not carry vendor/ already. */
    public static List<VendorTree> inModuleSources(Map<String, Path> localSources) throws IOException {
        List<VendorTree> trees = new ArrayList<>();
        for (VendorKind kind : VendorKind.values()) {
            Path manifest = localSources.get(kind.manifest());
            Path lock = localSources.get(kind.lockFile());
            boolean vendoredAlready = kind == VendorKind.GO && localSources.containsKey("vendor/modules.txt");
            if (manifest != null && lock != null && !vendoredAlready) {
                trees.add(new VendorTree(kind, VendorTree.MODULE_SOURCES, Optional.empty(), "", localSources,
                        read(manifest), read(lock)));
            }
        }
        return trees;
    }

    /** The tree inside a declared archive; its root is the archive's one top directory unless given. */
    public static VendorTree inArchive(ArchiveRequest request, String owner, Terms terms)
            throws VendorException, IOException {
        if (request.root().isPresent() && !request.root().get().isEmpty()
                && Tars.unsafePath(request.root().get()).isPresent()) {
            throw new VendorException(owner + ": the vendor root " + Syntax.show(request.root().get()) + " of "
                    + request.fileName() + " is not a relative path inside the archive.");
        }
        Set<String> tops = new TreeSet<>();
        Map<String, byte[]> candidates = new HashMap<>();
        VendorKind kind = request.kind();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(request.file()));
                TarArchiveInputStream tar = Tars.reader(decompressed(raw))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                int slash = name.indexOf('/');
                tops.add(slash < 0 ? name : name.substring(0, slash + 1));
                String base = name.substring(name.lastIndexOf('/') + 1);
                boolean wanted = entry.isFile() && (base.equals(kind.manifest()) || base.equals(kind.lockFile()));
                if (wanted && (request.root().isPresent() ? name.equals(join(request.root().get(), base))
                        : name.indexOf('/') == name.lastIndexOf('/'))) {
                    if (entry.getSize() > MAX_LOCK_BYTES) {
                        throw new VendorException(owner + ": " + name + " in " + request.fileName() + " is larger"
                                + " than " + (MAX_LOCK_BYTES >> 20) + " MiB.");
                    }
                    ByteArrayOutputStream content = new ByteArrayOutputStream();
                    tar.transferTo(content);
                    candidates.put(name, content.toByteArray());
                }
            }
        } catch (IOException e) {
            throw new VendorException(owner + ": cannot read " + request.fileName() + " to vendor its "
                    + kind.id() + " dependencies: " + e.getMessage());
        }
        tops.remove("");
        String root = request.root().orElse(tops.size() == 1 && tops.iterator().next().endsWith("/")
                ? tops.iterator().next().substring(0, tops.iterator().next().length() - 1) : "");
        byte[] manifest = candidates.get(join(root, kind.manifest()));
        byte[] lock = candidates.get(join(root, kind.lockFile()));
        if (manifest == null || lock == null) {
            throw new VendorException(owner + ": " + request.fileName() + " is declared for vendoring " + kind.id()
                    + " dependencies, but has no " + kind.manifest() + " and " + kind.lockFile() + " in "
                    + (root.isEmpty() ? "its top directory" : root + "/") + "; name the project's directory inside"
                    + " the archive with " + terms.setting(Terms.Setting.VENDOR_ROOT) + ".");
        }
        return new VendorTree(kind, request.fileName(), Optional.of(request.file()), root, Map.of(),
                new String(manifest, StandardCharsets.UTF_8), new String(lock, StandardCharsets.UTF_8));
    }

    private static String join(String root, String name) {
        return root.isEmpty() ? name : root + "/" + name;
    }

    private static InputStream decompressed(InputStream in) throws IOException {
        try {
            return new CompressorStreamFactory().createCompressorInputStream(in);
        } catch (CompressorException e) {
            return in;
        }
    }

    private static String read(Path file) throws IOException {
        if (Files.size(file) > MAX_LOCK_BYTES) {
            throw new IOException(file + " is larger than " + (MAX_LOCK_BYTES >> 20) + " MiB");
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
