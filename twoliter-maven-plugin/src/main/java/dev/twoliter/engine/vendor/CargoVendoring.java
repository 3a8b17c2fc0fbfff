package dev.twoliter.engine.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.net.Downloaded;
import dev.twoliter.engine.net.Urls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Vendors the crates of a {@code Cargo.lock} the way {@code cargo vendor} lays them out: each crate,
 * fetched from the registry and checked against the lock file's SHA-256, unpacked into {@code
 * vendor/<name>-<version>/} with the {@code .cargo-checksum.json} that Cargo's directory sources check
 * every file against. Runs in Java: a crate is a plain tar.gz, no Cargo is needed to unpack it.
 */
final class CargoVendoring {
    static final long MAX_CONFIG_BYTES = 64 * 1024;
    /** The largest crates.io crates unpack to a few hundred MiB (bindings with generated code). */
    static final long MAX_UNPACKED_CRATE_BYTES = 2L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CargoVendoring() {}

    static List<VendoredDependency> vendor(List<CargoLock.Crate> crates, VendorEndpoint registry,
            VendorDownloads downloads, Path workDir, Path vendorDir, String owner) throws VendorException, IOException {
        String dl = downloadTemplate(registry, downloads, workDir, owner);
        List<VendoredDependency> vendored = new ArrayList<>();
        for (CargoLock.Crate crate : crates) {
            URI url = downloadUrl(dl, crate, registry, owner);
            Path file = workDir.resolve("crates").resolve(crate.name() + "-" + crate.version() + ".crate");
            Downloaded downloaded;
            try {
                downloaded = downloads.fetch(registry, url, downloads.limits().maxDownloadBytes(), file);
            } catch (VendorException e) {
                throw new VendorException(owner + ": could not fetch crate " + crate.name() + " " + crate.version()
                        + " from " + registry.setting() + ": " + e.getMessage());
            }
            String sha256 = Digests.sha256(file);
            if (!sha256.equals(crate.checksum())) {
                throw new VendorException(owner + ": crate " + crate.name() + " " + crate.version() + " from "
                        + Urls.redact(url.toString()) + " has SHA-256 " + sha256 + ", but Cargo.lock pins "
                        + crate.checksum() + ". The registry serves another file than the one the lock file was"
                        + " written from; nothing was vendored.");
            }
            unpack(file, crate, vendorDir.resolve(crate.name() + "-" + crate.version()), owner);
            vendored.add(new VendoredDependency(VendorKind.CARGO, crate.name(), crate.version(), crate.checksum(),
                    downloaded.sha512()));
        }
        return vendored;
    }

    /** The registry's download URL template, from its {@code config.json}. */
    private static String downloadTemplate(VendorEndpoint registry, VendorDownloads downloads, Path workDir,
            String owner) throws VendorException, IOException {
        Path config = workDir.resolve("config.json");
        try {
            downloads.fetch(registry, registry.resolve("config.json"), MAX_CONFIG_BYTES, config);
        } catch (VendorException e) {
            throw new VendorException(owner + ": could not read the Cargo registry's config.json (" + registry.setting()
                    + "): " + e.getMessage());
        }
        JsonNode dl;
        try {
            dl = JSON.readTree(config.toFile()).get("dl");
        } catch (IOException e) {
            throw new VendorException(owner + ": the Cargo registry " + registry.shown() + " sent a config.json that"
                    + " is not JSON (" + e.getMessage() + "); is " + registry.setting() + " the URL of a sparse index?");
        }
        if (dl == null || !dl.isTextual() || !Syntax.isOneLine(dl.asText(), 2048)) {
            throw new VendorException(owner + ": the config.json of Cargo registry " + registry.shown()
                    + " names no download location (\"dl\").");
        }
        return dl.asText();
    }

    static URI downloadUrl(String dl, CargoLock.Crate crate, VendorEndpoint registry, String owner)
            throws VendorException {
        String name = crate.name();
        String prefix = switch (name.length()) {
            case 1 -> "1";
            case 2 -> "2";
            case 3 -> "3/" + name.charAt(0);
            default -> name.substring(0, 2) + "/" + name.substring(2, 4);
        };
        String version = Urls.encodeSegment(crate.version());
        boolean markers = dl.contains("{crate}") || dl.contains("{version}") || dl.contains("{prefix}")
                || dl.contains("{lowerprefix}") || dl.contains("{sha256-checksum}");
        String text = markers
                ? dl.replace("{crate}", name).replace("{version}", version).replace("{prefix}", prefix)
                        .replace("{lowerprefix}", prefix.toLowerCase(Locale.ROOT))
                        .replace("{sha256-checksum}", crate.checksum())
                : (dl.endsWith("/") ? dl : dl + "/") + name + "/" + version + "/download";
        try {
            URI url = new URI(text);
            String scheme = Urls.scheme(url);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")
                    || !scheme.equals("file") && url.getHost() == null) {
                throw new URISyntaxException(text, "not an http, https or file URL with a host");
            }
            if (Urls.scheme(registry.url()).equals("https") && scheme.equals("http")) {
                throw new URISyntaxException(text, "a registry reached over https may not send downloads over http");
            }
            if (scheme.equals("file") && !Urls.scheme(registry.url()).equals("file")) {
                throw new URISyntaxException(text, "a registry on the network may not name local files");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new VendorException(owner + ": the Cargo registry " + registry.shown() + " names the download"
                    + " location " + Syntax.show(Urls.redact(dl)) + ", which gives no usable URL for " + name + " "
                    + crate.version() + " (" + e.getReason() + ").");
        }
    }

    private static void unpack(Path crateFile, CargoLock.Crate crate, Path target, String owner)
            throws VendorException, IOException {
        Files.createDirectories(target);
        try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(crateFile))) {
            Tars.extract(in, crate.name() + "-" + crate.version() + "/", target, MAX_UNPACKED_CRATE_BYTES);
        } catch (IOException e) {
            throw new VendorException(owner + ": crate " + crate.name() + " " + crate.version()
                    + " is not a usable .crate file: " + e.getMessage());
        }
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(target)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(target.relativize(file).toString().replace('\\', '/'), Digests.sha256(file));
            }
        }
        if (!files.containsKey("Cargo.toml")) {
            throw new VendorException(owner + ": crate " + crate.name() + " " + crate.version() + " has no Cargo.toml"
                    + " below " + crate.name() + "-" + crate.version() + "/; it is not a crate.");
        }
        Map<String, Object> checksum = new TreeMap<>();
        checksum.put("files", files);
        checksum.put("package", crate.checksum());
        Files.writeString(target.resolve(".cargo-checksum.json"), JSON.writeValueAsString(checksum));
    }
}
