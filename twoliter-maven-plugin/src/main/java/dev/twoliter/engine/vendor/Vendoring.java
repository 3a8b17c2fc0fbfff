package dev.twoliter.engine.vendor;

import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.source.SourceCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Hands each vendored tree of a module its vendor archive: the pinned archive from the cache or a
 * lookaside mirror when the lock file is the one it was pinned for; otherwise fetched from the
 * registry, checked, packed and pinned anew ({@link VendorPins}). Runs only when the module really
 * builds: a no-op build never gets here, and the lock files are among the fingerprinted sources.
 */
public final class Vendoring {
    /**
     * @param goProxy where Go modules come from, if configured
     * @param cargoRegistry where crates come from, if configured
     * @param offline no network at all (only caches)
     * @param pinFile the module's {@value VendorPins#FILE_NAME}
     * @param workDir scratch space of this build
     */
    public record Settings(Optional<VendorEndpoint> goProxy, Optional<VendorEndpoint> cargoRegistry, boolean offline,
            Path pinFile, Path workDir, Duration timeout, String owner, Terms terms) {}

    /**
     * @param archives SOURCES file name to vendor archive
     * @param dependencies everything the archives hold, for the SBOM
     */
    public record Result(Map<String, Path> archives, List<VendoredDependency> dependencies) {
        public static final Result NONE = new Result(Map.of(), List.of());
    }

    private final Settings settings;
    private final SourceCache cache;
    private final VendorDownloads downloads;

    public Vendoring(Settings settings, SourceCache cache, VendorDownloads downloads) {
        this.settings = settings;
        this.cache = cache;
        this.downloads = downloads;
    }

    Settings settings() {
        return settings;
    }

    public Result run(List<VendorTree> trees, StepContext steps) throws TwoliterException, IOException {
        if (trees.isEmpty()) {
            return Result.NONE;
        }
        Map<String, VendorPins.Pin> pins = VendorPins.read(settings.pinFile());
        Map<String, VendorPins.Pin> updated = new TreeMap<>(pins);
        Map<String, Path> archives = new TreeMap<>();
        List<VendoredDependency> dependencies = new ArrayList<>();
        for (VendorTree tree : trees) {
            // A module's own Cargo.lock or go.sum without dependencies needs no archive; a declared
            // archive gets one all the same, since its spec names it.
            if (tree.source().equals(VendorTree.MODULE_SOURCES) && dependencyCount(tree) == 0) {
                continue;
            }
            String lockSha256 = lockDigest(tree);
            VendorPins.Pin pin = pins.get(tree.pinKey());
            Path archive = null;
            if (pin != null && pin.lockSha256().equals(lockSha256)) {
                archive = cache.findPinned(tree.archiveName(), pin.sha512(), settings.owner()).orElse(null);
                if (archive != null) {
                    steps.log().info(settings.owner() + ": " + tree.archiveName() + " (pinned) from the cache");
                }
            }
            if (archive == null) {
                archive = produce(tree, steps, pin != null && pin.lockSha256().equals(lockSha256) ? pin : null);
            }
            String sha512 = archive.getParent().getFileName().toString();
            updated.put(tree.pinKey(), new VendorPins.Pin(tree.kind(), tree.source(), tree.root(), lockSha256,
                    tree.archiveName(), sha512));
            archives.put(tree.archiveName(), archive);
            dependencies.addAll(VendorArchive.dependencies(archive));
        }
        if (!updated.equals(pins)) {
            VendorPins.write(settings.pinFile(), updated);
            steps.log().info(settings.owner() + ": pinned the vendor archives in " + settings.pinFile());
        }
        return new Result(archives, dependencies);
    }

    private static int dependencyCount(VendorTree tree) throws VendorException {
        return tree.kind() == VendorKind.GO ? GoSum.parse(tree.lockText(), tree.describe()).size()
                : CargoLock.parse(tree.lockText(), tree.describe()).size();
    }

    /** For Go the requirements in go.mod count as well; for Cargo the lock file says everything. */
    static String lockDigest(VendorTree tree) {
        String text = tree.kind() == VendorKind.GO ? tree.manifestText() + "\0" + tree.lockText() : tree.lockText();
        return Digests.sha256(text);
    }

    private Path produce(VendorTree tree, StepContext steps, VendorPins.Pin pinned)
            throws TwoliterException, IOException {
        String owner = settings.owner();
        Optional<VendorEndpoint> endpoint = tree.kind() == VendorKind.GO ? settings.goProxy() : settings.cargoRegistry();
        String what = pinned != null ? "its pinned vendor archive " + pinned.archive() + " (sha512 "
                + pinned.sha512().substring(0, 16) + "…) is in neither the source cache nor a lookaside mirror"
                : "it has not been vendored for this " + tree.kind().lockFile() + " yet";
        List<GoModule> modules = tree.kind() == VendorKind.GO ? GoSum.parse(tree.lockText(), tree.describe()) : List.of();
        List<CargoLock.Crate> crates = tree.kind() == VendorKind.CARGO
                ? CargoLock.parse(tree.lockText(), tree.describe()) : List.of();
        boolean fetches = !modules.isEmpty() || !crates.isEmpty();
        if (fetches) {
            if (settings.offline()) {
                throw new VendorException(owner + ": " + tree.describe() + " needs its dependencies, but " + what
                        + " and the build runs offline (" + settings.terms().setting(Terms.Setting.OFFLINE) + "). Build"
                        + " once online, or copy the archive into the source cache.");
            }
            if (endpoint.isEmpty()) {
                String setting = settings.terms().setting(tree.kind() == VendorKind.GO ? Terms.Setting.GO_PROXY
                        : Terms.Setting.CARGO_REGISTRY);
                throw new VendorException(owner + ": " + tree.describe() + " needs its dependencies, but " + what
                        + ", and no " + (tree.kind() == VendorKind.GO ? "Go module proxy" : "Cargo registry")
                        + " is configured: set " + setting + ", or put the archive on a lookaside mirror.");
            }
            downloads.checkServer(endpoint.get(), owner);
        }
        Path work = settings.workDir().resolve("vendor-" + tree.kind().id());
        AtomicFiles.deleteTree(work);
        Files.createDirectories(work);
        long started = System.nanoTime();
        try {
            Path vendorDir = work.resolve("out").resolve(VendorArchive.VENDOR_DIR);
            List<VendoredDependency> dependencies;
            if (!fetches) {
                dependencies = List.of();
            } else if (tree.kind() == VendorKind.GO) {
                dependencies = vendorGo(modules, tree, endpoint.get(), steps, work);
            } else {
                Files.createDirectories(vendorDir);
                dependencies = CargoVendoring.vendor(crates, endpoint.get(), downloads, work.resolve("fetch"),
                        vendorDir, owner);
            }
            Path packed = work.resolve(tree.archiveName());
            VendorArchive.write(vendorDir, VendorManifest.text(tree.kind(), dependencies), packed);
            String sha512 = Digests.sha512(packed);
            if (pinned != null && !pinned.sha512().equals(sha512)) {
                throw new VendorException(owner + ": " + tree.describe() + " was vendored again from "
                        + endpoint.get().shown() + ", but the archive has sha512 " + sha512 + ", not the pinned "
                        + pinned.sha512() + " (" + VendorPins.FILE_NAME + "). The registry now serves other content"
                        + " for the same lock file; remove the entry from " + VendorPins.FILE_NAME + " only if you"
                        + " trust the new content.");
            }
            Path archive = cache.adopt(packed, tree.archiveName());
            steps.log().info(String.format("%s: vendored %d %s of %s in %.1f s into %s", owner, dependencies.size(),
                    tree.kind() == VendorKind.GO ? "Go module(s)" : "crate(s)", tree.describe(),
                    (System.nanoTime() - started) / 1e9, tree.archiveName()));
            return archive;
        } finally {
            AtomicFiles.deleteTree(work);
        }
    }

    private List<VendoredDependency> vendorGo(List<GoModule> modules, VendorTree tree, VendorEndpoint proxy,
            StepContext steps, Path work) throws TwoliterException, IOException {
        Path proxyDir = work.resolve("goproxy");
        Files.createDirectories(proxyDir);
        List<GoVendoring.Fetched> fetched = GoVendoring.fetch(modules, proxy, downloads, proxyDir, settings.owner());
        Path out = work.resolve("out");
        GoVendoring.runGoModVendor(steps, tree, proxyDir, out, settings.workDir().resolve("go-vendor.log"),
                settings.timeout(), settings.owner());
        Set<String> used = GoVendoring.vendoredIds(out.resolve(VendorArchive.VENDOR_DIR));
        List<VendoredDependency> dependencies = new ArrayList<>();
        for (GoVendoring.Fetched f : fetched) {
            if (f.zipSha512() != null && used.contains(f.module().id())) {
                dependencies.add(new VendoredDependency(VendorKind.GO, f.module().path(), f.module().version(),
                        f.module().zipHash(), f.zipSha512()));
            }
        }
        return dependencies;
    }
}
