package dev.twoliter.engine.source;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Temporaries;
import dev.twoliter.engine.net.Credentials;
import dev.twoliter.engine.net.DownloadException;
import dev.twoliter.engine.net.Downloaded;
import dev.twoliter.engine.net.FileDownload;
import dev.twoliter.engine.net.HttpDownload;
import dev.twoliter.engine.net.NetworkLimits;
import dev.twoliter.engine.net.ServerCredentials;
import dev.twoliter.engine.net.SizeBound;
import dev.twoliter.engine.net.Urls;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * External source files, shared by all projects of a user and keyed by digest. The cache uses the
 * lookaside layout {@code <cache>/<name>/<sha512>/<name>}, so a cache directory can itself be
 * served (or named with a {@code file:} URL) as a lookaside mirror for other machines.
 *
 * <p>This class decides where to look (cache, mirrors in order, upstream) and what lands in the
 * cache (only complete files with the declared digest and size, renamed into place);
 * {@link HttpDownload} and {@link FileDownload} do the bounded transfers.
 */
public final class SourceCache {
    private static final Set<String> SCHEMES = Set.of("http", "https", "file");

    private final Path root;
    private final List<String> mirrors;
    private final boolean upstreamFallback;
    private final boolean offline;
    private final HttpProxy proxy;
    private final NetworkLimits limits;
    private final ServerCredentials servers;
    private final BuildLog log;
    private final Terms terms;
    /** Hosts already warned about credentials written into a URL (one warning each is enough). */
    private final Set<String> warnedInlineCredentials = ConcurrentHashMap.newKeySet();
    private volatile HttpDownload http;

    /** Direct connections, default network limits, no server credentials, plain terms. */
    public SourceCache(Path root, List<String> mirrors, boolean upstreamFallback, boolean offline, BuildLog log) {
        this(root, mirrors, upstreamFallback, offline, null, NetworkLimits.DEFAULTS, Map.of(), Terms.PLAIN, log);
    }

    /**
     * @param mirrors lookaside mirror base URLs (http, https or file), tried in order; checked by
     *     {@link #validateMirrors(List, Terms)} before the first download
     * @param proxy the HTTP proxy to use for http and https URLs, or null for direct connections
     * @param limits time and size bounds of every download
     * @param servers credentials by server id (settings.xml {@code <server>}), for
     *     {@link ExternalSource#serverId()} and for URLs whose {@code host:port} or host is an id
     * @param terms how the build tool names the settings a message points at
     */
    public SourceCache(Path root, List<String> mirrors, boolean upstreamFallback, boolean offline, HttpProxy proxy,
            NetworkLimits limits, Map<String, Credentials> servers, Terms terms, BuildLog log) {
        this.root = root;
        this.mirrors = normalize(mirrors);
        this.upstreamFallback = upstreamFallback;
        this.offline = offline;
        this.proxy = proxy;
        this.limits = limits;
        this.servers = new ServerCredentials(servers, terms.setting(Terms.Setting.SERVER));
        this.log = log;
        this.terms = terms;
    }

    /** Checks the lookaside mirror URLs, so that a typo fails before anything is fetched. */
    public static void validateMirrors(List<String> mirrors, Terms terms) throws SourceFetchException {
        for (String mirror : normalize(mirrors)) {
            String problem = urlProblem(mirror);
            if (problem != null) {
                throw new SourceFetchException("Lookaside mirror " + Urls.redact(mirror) + " " + problem
                        + "; fix " + terms.setting(Terms.Setting.LOOKASIDE_MIRRORS) + ".");
            }
        }
    }

    /** Checks a declaration before anything is fetched; {@code owner} names who declared it. */
    public static void validate(ExternalSource source, String owner, Terms terms) throws SourceFetchException {
        String urlTerm = terms.setting(Terms.Setting.SOURCE_URL);
        if (source.url() == null || source.url().isBlank()) {
            throw new SourceFetchException(owner + ": an external source has no " + urlTerm + ".");
        }
        String url = Urls.redact(source.url().trim());
        String problem = urlProblem(source.url().trim());
        if (problem != null) {
            throw new SourceFetchException(owner + ": the " + urlTerm + " of external source " + url + " " + problem
                    + ".");
        }
        if (!Syntax.isSha512(source.sha512())) {
            throw new SourceFetchException(owner + ": external source " + url
                    + " needs " + terms.setting(Terms.Setting.SOURCE_SHA512) + " with 128 hex digits, found "
                    + Syntax.show(source.sha512()) + ".");
        }
        String name = source.fileName();
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")
                || !Syntax.isOneLine(name, 255)) {
            throw new SourceFetchException(owner + ": external source " + url + " needs a plain "
                    + terms.setting(Terms.Setting.SOURCE_FILE_NAME) + " (one path"
                    + " component, not starting with a dot), found " + Syntax.show(name) + ".");
        }
        if (source.size() != null && source.size() <= 0) {
            throw new SourceFetchException(owner + ": external source " + url + " declares "
                    + terms.setting(Terms.Setting.SOURCE_SIZE) + " " + source.size()
                    + "; a size is a positive number of bytes.");
        }
        if (source.serverId() != null && !Syntax.isOneLine(source.serverId(), 255)) {
            throw new SourceFetchException(owner + ": external source " + url + " has a "
                    + terms.setting(Terms.Setting.SOURCE_SERVER_ID) + " that is not one"
                    + " line of text: " + Syntax.show(source.serverId()) + ".");
        }
    }

    /** Returns the verified file in the cache, fetching it first if needed. */
    public Path fetch(ExternalSource source, String owner) throws SourceFetchException, IOException {
        validate(source, owner, terms);
        validateMirrors(mirrors, terms);
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
                    + " is not in the source cache " + root + " and the build runs offline ("
                    + terms.setting(Terms.Setting.OFFLINE) + "). Run once online or copy"
                    + " the file to " + cached + ".");
        }
        if (source.serverId() != null && !servers.has(source.serverId())) {
            throw new SourceFetchException(owner + ": external source " + Urls.redact(source.url().trim())
                    + " names " + terms.setting(Terms.Setting.SOURCE_SERVER_ID) + " '" + source.serverId() + "', but "
                    + terms.setting(Terms.Setting.SERVER_CREDENTIALS) + " has no entry with that id.");
        }
        List<String> failures = new ArrayList<>();
        for (Location location : locations(source)) {
            String problem = download(location, source, cached);
            if (problem == null) {
                log.info("Fetched " + source.fileName() + " from " + Urls.redact(location.url().toString()));
                return cached;
            }
            failures.add(problem);
            log.debug(problem);
        }
        if (failures.isEmpty()) {
            throw new SourceFetchException(owner + ": external source " + source.fileName() + " has no lookaside"
                    + " mirror and the upstream fallback is off (" + terms.setting(Terms.Setting.UPSTREAM_FALLBACK_OFF)
                    + "); configure " + terms.setting(Terms.Setting.LOOKASIDE_MIRRORS) + " or set "
                    + terms.setting(Terms.Setting.FORCE_UPSTREAM) + " for it.");
        }
        throw new SourceFetchException(owner + ": could not fetch external source " + source.fileName() + ":\n  "
                + String.join("\n  ", failures));
    }

    /**
     * A file the build made once and pinned by digest (a vendor archive): from the cache, else from a
     * lookaside mirror, never from anywhere else; empty when neither has it.
     */
    public Optional<Path> findPinned(String fileName, String sha512, String owner) throws IOException {
        Path cached = root.resolve(fileName).resolve(sha512).resolve(fileName);
        if (Files.isRegularFile(cached)) {
            if (Digests.sha512(cached).equals(sha512)) {
                return Optional.of(cached);
            }
            log.warn("Cached " + cached + " does not match its digest; looking for it again");
            Files.delete(cached);
        }
        if (offline) {
            return Optional.empty();
        }
        try {
            validateMirrors(mirrors, terms);
        } catch (SourceFetchException e) {
            throw new IOException(e.getMessage(), e);
        }
        ExternalSource pinned = ExternalSource.of("file:///" + fileName, sha512, fileName, false);
        String name = Urls.encodeSegment(fileName);
        for (String mirror : mirrors) {
            Location location = new Location(URI.create(mirror + "/" + name + "/" + sha512 + "/" + name), null);
            Files.createDirectories(cached.getParent());
            String problem = download(location, pinned, cached);
            if (problem == null) {
                log.info(owner + ": fetched " + fileName + " from " + Urls.redact(location.url().toString()));
                return Optional.of(cached);
            }
            log.debug(problem);
        }
        return Optional.empty();
    }

    /** Moves a file the build made into the cache under its digest and returns where it is now. */
    public Path adopt(Path file, String fileName) throws IOException {
        String sha512 = Digests.sha512(file);
        Path cached = root.resolve(fileName).resolve(sha512).resolve(fileName);
        Files.createDirectories(cached.getParent());
        AtomicFiles.moveIntoPlace(file, cached);
        return cached;
    }

    /** Where to look, in order; {@code serverId} applies only to the source's own URL. */
    private record Location(URI url, String serverId) {}

    private List<Location> locations(ExternalSource source) {
        String name = Urls.encodeSegment(source.fileName());
        List<Location> locations = new ArrayList<>();
        for (String mirror : mirrors) {
            locations.add(new Location(URI.create(mirror + "/" + name + "/" + source.sha512() + "/" + name), null));
        }
        if (upstreamFallback || source.forceUpstream()) {
            locations.add(new Location(URI.create(source.url().trim()), source.serverId()));
        }
        return locations;
    }

    /**
     * Transfers into an owner-tagged temporary next to the target, verifies, renames. Returns null
     * on success, else why not (starting with the redacted URL).
     */
    private String download(Location location, ExternalSource source, Path target) throws IOException {
        Path dir = target.getParent();
        List<String> leftovers = Temporaries.sweep(dir);
        if (!leftovers.isEmpty()) {
            log.debug("Removed leftovers of interrupted downloads in " + dir + ": " + String.join(", ", leftovers));
        }
        Path temp = Temporaries.newFile(dir, "download");
        Optional<ServerCredentials.Choice> credentials = Optional.empty();
        try {
            SizeBound bound = SizeBound.of(source.size(), limits, terms.setting(Terms.Setting.SOURCE_SIZE));
            Downloaded downloaded;
            if (Urls.scheme(location.url()).equals("file")) {
                downloaded = FileDownload.copy(location.url(), bound, temp);
            } else {
                credentials = servers.forUrl(location.url(), location.serverId());
                if (credentials.filter(ServerCredentials.Choice::inUrl).isPresent()) {
                    warnInlineCredentials(location.url());
                }
                downloaded = http().download(location.url(), credentials.map(ServerCredentials.Choice::credentials)
                        .orElse(null), bound, temp);
            }
            if (!downloaded.sha512().equals(source.sha512())) {
                return Urls.redact(location.url().toString()) + ": sha512 mismatch, expected " + source.sha512()
                        + " but the file has " + downloaded.sha512();
            }
            AtomicFiles.moveIntoPlace(temp, target);
            return null;
        } catch (DownloadException e) {
            return e.getMessage() + authenticationHint(e.status(), location.url(), credentials);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private String authenticationHint(int status, URI url, Optional<ServerCredentials.Choice> credentials) {
        if (status != 401 && status != 403) {
            return "";
        }
        return credentials.map(c -> "; " + c.source() + " were sent, check them")
                .orElse("; no credentials were sent: add a " + terms.setting(Terms.Setting.SERVER_CREDENTIALS)
                        + " entry with id '" + url.getHost() + "' (or name one with "
                        + terms.setting(Terms.Setting.SOURCE_SERVER_ID) + ")");
    }

    private void warnInlineCredentials(URI url) {
        if (warnedInlineCredentials.add(Urls.origin(url))) {
            log.warn(Urls.redact(url.toString()) + " has credentials written into the URL. They are sent only to "
                    + url.getHost() + ", but URLs end up in logs and repositories: put them in a "
                    + terms.setting(Terms.Setting.SERVER_CREDENTIALS) + " entry with id '" + url.getHost() + "' instead.");
        }
    }

    private HttpDownload http() {
        HttpDownload h = http;
        if (h == null) {
            synchronized (this) {
                h = http;
                if (h == null) {
                    h = new HttpDownload(limits, proxy == null ? null : proxy.selector(),
                            proxy == null ? null : proxy.authenticator(), log);
                    http = h;
                }
            }
        }
        return h;
    }

    /** Why a URL cannot be fetched from, or null if it can; the phrase follows the URL in a message. */
    private static String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL (" + e.getReason() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "")
                    + ")";
        }
        String scheme = Urls.scheme(uri);
        if (!SCHEMES.contains(scheme)) {
            return scheme.isEmpty() ? "has no scheme; use http, https or file"
                    : "has the unsupported scheme '" + scheme + "'; use http, https or file";
        }
        if (scheme.equals("file")) {
            try {
                Path.of(uri);
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                return "is not a local file URL (" + e.getMessage() + ")";
            }
        } else if (uri.getHost() == null) {
            return "has no host name";
        }
        return null;
    }

    private static List<String> normalize(List<String> mirrors) {
        return mirrors.stream().filter(m -> m != null).map(String::trim).filter(m -> !m.isEmpty())
                .map(m -> m.endsWith("/") ? m.substring(0, m.length() - 1) : m).toList();
    }
}
