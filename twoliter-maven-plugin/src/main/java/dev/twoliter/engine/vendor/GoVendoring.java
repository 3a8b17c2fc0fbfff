package dev.twoliter.engine.vendor;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.StepEnvironment;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Vendors the modules of a {@code go.sum}: Java fetches every pinned {@code go.mod} and module zip
 * from the module proxy and checks each against its {@code h1:} hash; then {@code go mod vendor}
 * runs in the SDK container, offline, reading only those checked files, and writes {@code vendor/}
 * as the Go toolchain itself lays it out (with {@code vendor/modules.txt}, which {@code -mod=vendor}
 * builds check against go.mod).
 */
final class GoVendoring {
    static final String SCRIPT = StepScripts.script(GoVendoring.class, "go-vendor.sh");
    /** Go refuses go.mod files larger than this. */
    static final long MAX_GO_MOD_BYTES = 16L << 20;
    private static final int LOG_TAIL_LINES = 25;

    private GoVendoring() {}

    /** What go-vendor.sh reads. */
    record Environment(String archive, String root) implements StepEnvironment {
        @Override
        public Map<String, String> render() {
            Map<String, String> env = StepEnvironment.common();
            env.put("TREE_ARCHIVE", archive);
            env.put("TREE_ROOT", root);
            return env;
        }
    }

    /** A fetched, checked module: its zip's SHA-512 (null when go.sum pins only its go.mod). */
    record Fetched(GoModule module, String zipSha512) {}

    /**
     * Fills {@code proxyDir} with the pinned files, checked. A file the proxy does not have (404, 410)
     * is left out: go.sum may list modules the build never loads, and if one is needed after all,
     * {@code go mod vendor} says which.
     */
    static List<Fetched> fetch(List<GoModule> modules, VendorEndpoint proxy, VendorDownloads downloads, Path proxyDir,
            String owner) throws VendorException, IOException {
        List<Fetched> fetched = new ArrayList<>();
        for (GoModule module : modules) {
            Path base = proxyDir.resolve(module.proxyPath());
            Path mod = Path.of(base + ".mod");
            if (download(module, ".mod", proxy, downloads, MAX_GO_MOD_BYTES, mod, owner) && module.modHash() != null) {
                String actual = GoModuleHash.ofGoMod(Files.readAllBytes(mod));
                if (!actual.equals(module.modHash())) {
                    throw mismatch(owner, module, "go.mod", proxy, actual, module.modHash());
                }
            }
            String zipSha512 = null;
            if (module.zipHash() != null) {
                Path zip = Path.of(base + ".zip");
                if (download(module, ".zip", proxy, downloads, GoModuleHash.MAX_UNPACKED_BYTES, zip, owner)) {
                    String actual = GoModuleHash.ofZip(zip, module);
                    if (!actual.equals(module.zipHash())) {
                        throw mismatch(owner, module, "zip", proxy, actual, module.zipHash());
                    }
                    zipSha512 = dev.twoliter.engine.io.Digests.sha512(zip);
                }
            }
            Files.writeString(Path.of(base + ".info"), "{\"Version\":\"" + module.version() + "\"}\n");
            appendToList(base.getParent().resolve("list"), module.version());
            fetched.add(new Fetched(module, zipSha512));
        }
        return fetched;
    }

    private static boolean download(GoModule module, String suffix, VendorEndpoint proxy, VendorDownloads downloads,
            long maxBytes, Path into, String owner) throws VendorException, IOException {
        URI url = proxy.resolve(module.proxyPath() + suffix);
        try {
            downloads.fetch(proxy, url, maxBytes, into);
            return true;
        } catch (VendorDownloads.Missing e) {
            return false;
        } catch (VendorException e) {
            throw new VendorException(owner + ": could not fetch Go module " + module.id() + ": " + e.getMessage());
        }
    }

    private static VendorException mismatch(String owner, GoModule module, String what, VendorEndpoint proxy,
            String actual, String pinned) {
        return new VendorException(owner + ": the " + what + " of Go module " + module.id() + " from "
                + proxy.shown() + " has checksum " + actual + ", but go.sum pins " + pinned + ". The proxy serves"
                + " other content than go.sum was written from; nothing was vendored.");
    }

    private static void appendToList(Path list, String version) throws IOException {
        Set<String> versions = new TreeSet<>();
        if (Files.isRegularFile(list)) {
            versions.addAll(Files.readAllLines(list, StandardCharsets.UTF_8));
        }
        versions.add(version);
        Files.writeString(list, String.join("\n", versions) + "\n");
    }

    /**
     * Runs {@code go mod vendor} in the SDK container on the tree and copies {@code vendor/} into
     * {@code outputDir}.
     */
    static void runGoModVendor(StepContext steps, VendorTree tree, Path proxyDir, Path outputDir, Path logFile,
            Duration timeout, String owner) throws TwoliterException, IOException {
        Map<String, Path> inputs = new LinkedHashMap<>();
        try (var walk = Files.walk(proxyDir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                inputs.put("/work/goproxy/" + proxyDir.relativize(file).toString().replace('\\', '/'), file);
            }
        }
        String archive = "";
        if (tree.archive().isPresent()) {
            archive = tree.source();
            inputs.put("/work/archive/" + archive, tree.archive().get());
        } else {
            tree.files().forEach((relative, file) -> inputs.put("/work/tree/" + relative, file));
        }
        AtomicFiles.deleteTree(outputDir);
        steps.log().info(owner + ": vendoring the Go modules of " + tree.describe() + " in SDK " + steps.sdk().reference());
        ContainerStep step = new ContainerStep(owner.replace(':', '-') + "-go-vendor", steps.sdk(), SCRIPT,
                new Environment(archive, tree.root()).render(), inputs, Map.of(), "/work/out", outputDir, logFile,
                timeout, line -> steps.log().info("[go-vendor] " + line));
        StepOutcome outcome = steps.run(step, outputDir.resolveSibling(outputDir.getFileName() + "-scratch"));
        if (!outcome.succeeded()) {
            throw new VendorException(owner + ": go mod vendor failed for " + tree.describe() + ". Last lines of the"
                    + " log:\n    " + String.join("\n    ", outcome.logTail(LOG_TAIL_LINES)) + "\nFull log: "
                    + outcome.logFile());
        }
    }

    /** The module versions {@code vendor/modules.txt} lists: the ones whose code the build uses. */
    static Set<String> vendoredIds(Path vendorDir) throws IOException {
        Path modules = vendorDir.resolve("modules.txt");
        Set<String> ids = new TreeSet<>();
        if (!Files.isRegularFile(modules)) {
            return ids;
        }
        for (String line : Files.readAllLines(modules, StandardCharsets.UTF_8)) {
            if (line.startsWith("# ")) {
                String[] fields = line.substring(2).trim().split(" +");
                if (fields.length >= 2) {
                    ids.add(fields[0] + "@" + fields[1]);
                }
            }
        }
        return ids;
    }
}
