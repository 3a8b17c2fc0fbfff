package dev.twoliter.engine.source;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * External source files, shared by all projects of a user and keyed by digest. The cache uses the
 * lookaside layout {@code <cache>/<name>/<sha512>/<name>}, so a cache directory can itself be
 * served (or named with a {@code file:} URL) as a lookaside mirror for other machines.
 */
public final class SourceCache {
    private static final Pattern SHA512 = Pattern.compile("[0-9a-f]{128}");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);

    private final Path root;
    private final List<String> mirrors;
    private final boolean upstreamFallback;
    private final boolean offline;
    private final BuildLog log;
    private final HttpClient http;

    public SourceCache(Path root, List<String> mirrors, boolean upstreamFallback, boolean offline, BuildLog log) {
        this(root, mirrors, upstreamFallback, offline, null, log);
    }

    /** @param proxy the HTTP proxy to use for http and https URLs, or null for direct connections */
    public SourceCache(Path root, List<String> mirrors, boolean upstreamFallback, boolean offline, HttpProxy proxy,
            BuildLog log) {
        this.root = root;
        this.mirrors = mirrors.stream().map(String::trim).filter(m -> !m.isEmpty())
                .map(m -> m.endsWith("/") ? m.substring(0, m.length() - 1) : m).toList();
        this.upstreamFallback = upstreamFallback;
        this.offline = offline;
        this.log = log;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (proxy != null) {
            builder.proxy(proxy.selector());
            if (proxy.authenticator() != null) {
                builder.authenticator(proxy.authenticator());
            }
        }
        this.http = builder.build();
    }

    /** Checks a declaration before anything is fetched; {@code owner} names who declared it. */
    public static void validate(ExternalSource source, String owner) throws SourceFetchException {
        if (source.url() == null || source.url().isBlank()) {
            throw new SourceFetchException(owner + ": an external source has no <url>.");
        }
        if (source.sha512() == null || !SHA512.matcher(source.sha512()).matches()) {
            throw new SourceFetchException(owner + ": external source " + source.url()
                    + " needs <sha512> with 128 hex digits, found '" + source.sha512() + "'.");
        }
        String name = source.fileName();
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new SourceFetchException(owner + ": external source " + source.url()
                    + " needs a plain <fileName> (one path component, not starting with a dot), found '" + name + "'.");
        }
    }

    /** Returns the verified file in the cache, fetching it first if needed. */
    public Path fetch(ExternalSource source, String owner) throws SourceFetchException, IOException {
        validate(source, owner);
        Path cached = root.resolve(source.fileName()).resolve(source.sha512()).resolve(source.fileName());
        if (Files.isRegularFile(cached)) {
            if (Digests.sha512(cached).equals(source.sha512())) {
                return cached;
            }
            log.warn("Cached " + cached + " does not match its digest; fetching it again");
            Files.delete(cached);
        }
        if (offline) {
            throw new SourceFetchException(owner + ": external source " + source.fileName()
                    + " is not in the source cache " + root + " and Maven runs offline (-o). Run once online or copy"
                    + " the file to " + cached + ".");
        }
        List<String> failures = new ArrayList<>();
        for (String location : locations(source)) {
            String problem = download(location, source, cached);
            if (problem == null) {
                log.info("Fetched " + source.fileName() + " from " + location);
                return cached;
            }
            failures.add(problem);
            log.debug(problem);
        }
        if (failures.isEmpty()) {
            throw new SourceFetchException(owner + ": external source " + source.fileName() + " has no lookaside"
                    + " mirror and the upstream fallback is off (twoliter.upstreamFallback=false); configure"
                    + " <lookasideMirrors> or set <forceUpstream>true</forceUpstream> for it.");
        }
        throw new SourceFetchException(owner + ": could not fetch external source " + source.fileName() + ":\n  "
                + String.join("\n  ", failures));
    }

    private List<String> locations(ExternalSource source) {
        List<String> locations = new ArrayList<>();
        for (String mirror : mirrors) {
            locations.add(mirror + "/" + source.fileName() + "/" + source.sha512() + "/" + source.fileName());
        }
        if (upstreamFallback || source.forceUpstream()) {
            locations.add(source.url().trim());
        }
        return locations;
    }

    /** Downloads into a temporary sibling, verifies, renames. Returns null on success, else why not. */
    private String download(String location, ExternalSource source, Path target) throws IOException {
        Path temp = AtomicFiles.tempSibling(target);
        try {
            MessageDigest digest = Digests.newDigest("SHA-512");
            try (InputStream in = open(location); OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
                in.transferTo(out);
            } catch (NoSuchFileException e) {
                return location + ": no such file";
            } catch (IOException e) {
                return location + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(source.sha512())) {
                return location + ": sha512 mismatch, expected " + source.sha512() + " but the file has " + actual;
            }
            AtomicFiles.moveIntoPlace(temp, target);
            return null;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private InputStream open(String location) throws IOException {
        URI uri = URI.create(location);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("file")) {
            return Files.newInputStream(Path.of(uri));
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("unsupported URL scheme '" + scheme + "' (use http, https or file)");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("User-Agent", "twoliter-maven-plugin").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.net.ConnectException e) {
            throw new IOException("connection failed (" + (e.getMessage() == null ? "refused" : e.getMessage()) + ")", e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("HTTP " + response.statusCode());
        }
        return response.body();
    }
}
