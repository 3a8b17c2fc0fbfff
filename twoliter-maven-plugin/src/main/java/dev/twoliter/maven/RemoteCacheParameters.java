package dev.twoliter.maven;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.cache.RemoteBuildCache;
import dev.twoliter.engine.net.NetworkLimits;
import dev.twoliter.engine.net.Urls;
import dev.twoliter.engine.signing.KitSigningKey;
import dev.twoliter.engine.signing.TrustedKitKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.impl.RepositoryConnectorProvider;

/** The remote build cache's settings, shared by the goals that build modules. */
abstract class RemoteCacheParameters extends KitParameters {
    /**
     * A Maven repository that holds the remote build cache (http://, https:// or file://). Reading
     * is on when it is set; credentials, mirrors and proxies come from settings.xml by {@code
     * twoliter.cache.serverId}.
     */
    @Parameter(property = "twoliter.cache.url")
    String cacheUrl;

    /**
     * The cache repository's id: the id of the settings.xml server entry that holds its
     * credentials, and what a mirror's mirrorOf must match to redirect it.
     */
    @Parameter(property = "twoliter.cache.serverId", defaultValue = "twoliter-cache")
    String cacheServerId;

    /** Publish the outputs of modules that were built to the remote cache (for CI). */
    @Parameter(property = "twoliter.cache.write", defaultValue = "false")
    boolean cacheWrite;

    /** Also restore and publish variant images, which are large (by default only RPMs and kits). */
    @Parameter(property = "twoliter.cache.images", defaultValue = "false")
    boolean cacheImages;

    /**
     * An OpenPGP secret key (path from the top of the checkout) that signs the description of each
     * entry this build publishes; readers that set {@code twoliter.cache.trustedKeys} require it.
     * Its passphrase comes from {@code twoliter.cache.signingServerId} or the environment variable
     * {@code twoliter.cache.signingPassphraseEnv}.
     */
    @Parameter(property = "twoliter.cache.signingKey")
    String cacheSigningKey;

    /** The settings.xml server whose passphrase (or password) unlocks {@code twoliter.cache.signingKey}. */
    @Parameter(property = "twoliter.cache.signingServerId")
    String cacheSigningServerId;

    /** The environment variable with the passphrase of {@code twoliter.cache.signingKey}. */
    @Parameter(property = "twoliter.cache.signingPassphraseEnv", defaultValue = "TWOLITER_CACHE_SIGNING_PASSPHRASE")
    String cacheSigningPassphraseEnv;

    /**
     * OpenPGP public keys (comma-separated paths from the top of the checkout): when set, only
     * entries whose description one of them signed are restored; others are refused with a warning.
     */
    @Parameter(property = "twoliter.cache.trustedKeys")
    String cacheTrustedKeys;

    @Component
    RepositoryConnectorProvider repositoryConnectors;

    @Component
    SettingsDecrypter cacheSettingsDecrypter;

    private static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    /** The remote cache, if one is configured and Maven is online. */
    Optional<RemoteBuildCache> remoteCache(MavenSession session, RepositorySystem system, Path checkoutRoot,
            BuildLog log) throws TwoliterException {
        if (cacheUrl == null || cacheUrl.isBlank()) {
            return Optional.empty();
        }
        String url = cacheUrl.strip();
        checkCacheSettings(url);
        if (session.isOffline()) {
            log.debug("remote build cache " + url + " not used: Maven runs offline (-o)");
            return Optional.empty();
        }
        NetworkLimits limits = networkLimits();
        MavenRemoteCache transport = new MavenRemoteCache(system, repositoryConnectors, session.getRepositorySession(),
                cacheServerId, url, limits);
        return Optional.of(new RemoteBuildCache(transport,
                new RemoteBuildCache.Settings(cacheWrite, cacheImages, limits.maxDownloadBytes()),
                signing(session, checkoutRoot), log));
    }

    private RemoteBuildCache.Signing signing(MavenSession session, Path checkoutRoot) throws TwoliterException {
        Optional<KitSigningKey> signingKey = Optional.empty();
        if (cacheWrite && cacheSigningKey != null && !cacheSigningKey.isBlank()) {
            SigningPassphrase passphrase = new SigningPassphrase(cacheSigningServerId, cacheSigningPassphraseEnv,
                    "twoliter.cache.signingServerId", "twoliter.cache.signingPassphraseEnv");
            signingKey = Optional.of(KitSigningKey.load(checkoutRoot.resolve(cacheSigningKey.strip()).normalize(),
                    passphrase.read(session, cacheSettingsDecrypter), passphrase.source(), Instant.now()));
        }
        Optional<TrustedKitKeys> trusted = Optional.empty();
        if (cacheTrustedKeys != null && !cacheTrustedKeys.isBlank()) {
            List<TrustedKitKeys.Entry> entries = new ArrayList<>();
            for (String file : cacheTrustedKeys.split(",")) {
                if (file.isBlank()) {
                    throw new TwoliterException("twoliter.cache.trustedKeys " + Syntax.show(cacheTrustedKeys)
                            + " has an empty entry; give comma-separated paths of OpenPGP public key files.");
                }
                entries.add(new TrustedKitKeys.Entry(RemoteBuildCache.TRUST_GROUP,
                        checkoutRoot.resolve(file.strip()).normalize()));
            }
            trusted = Optional.of(TrustedKitKeys.load(entries, "twoliter.cache.trustedKeys"));
        }
        return new RemoteBuildCache.Signing(signingKey, trusted);
    }

    private void checkCacheSettings(String url) throws TwoliterException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new TwoliterException("twoliter.cache.url " + Syntax.show(Urls.redact(url))
                    + " is not a URL: " + e.getReason() + ".");
        }
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT);
        if (!List.of("http", "https", "file").contains(scheme) || (!scheme.equals("file") && uri.getHost() == null)) {
            throw new TwoliterException("twoliter.cache.url " + Syntax.show(Urls.redact(url))
                    + " is not an http://, https:// or file:// URL of a Maven repository.");
        }
        if (uri.getRawUserInfo() != null) {
            throw new TwoliterException("twoliter.cache.url must not hold credentials; put them in a settings.xml"
                    + " <server> with the id twoliter.cache.serverId (" + Syntax.show(cacheServerId) + ").");
        }
        if (cacheServerId == null || !SERVER_ID.matcher(cacheServerId).matches()) {
            throw new TwoliterException("twoliter.cache.serverId " + Syntax.show(String.valueOf(cacheServerId))
                    + " is not a repository id (1 to 128 letters, digits, '.', '_' or '-').");
        }
    }
}
