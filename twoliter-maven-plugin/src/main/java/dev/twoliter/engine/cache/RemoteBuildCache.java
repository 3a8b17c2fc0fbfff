package dev.twoliter.engine.cache;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Temporaries;
import dev.twoliter.engine.net.NetworkLimits;
import dev.twoliter.engine.signing.KitSigningKey;
import dev.twoliter.engine.signing.SignatureCheck;
import dev.twoliter.engine.signing.SigningException;
import dev.twoliter.engine.signing.TrustedKitKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The remote build cache as one step of every module build: before any container starts, a module
 * whose key is in the cache gets its outputs from there, each checked against the entry's digest
 * before it is moved into place; after a build, the outputs are published when writing is on.
 * Nothing the cache sends can fail or poison a build: a missing, malformed, colliding or
 * tampered entry, or a cache that does not answer, is reported and the module is built.
 */
public final class RemoteBuildCache {
    /** An entry's description is small text; this bounds what a hostile server can make us read. */
    static final long MAX_ENTRY_BYTES = 64L << 20;

    /**
     * @param write publish the outputs of modules that were built
     * @param images also restore and publish variant images (large)
     * @param maxFileBytes the largest single file taken from the cache
     */
    public record Settings(boolean write, boolean images, long maxFileBytes) {}

    /**
     * Signatures of entry descriptions: the key that signs what this build publishes, and the keys
     * whose signature a restored entry must carry (none: entries are not checked for one).
     */
    public record Signing(Optional<KitSigningKey> signingKey, Optional<TrustedKitKeys> trusted) {
        public static final Signing NONE = new Signing(Optional.empty(), Optional.empty());
    }

    /** The group the trusted keys of the remote cache are loaded for (entries of every module use them). */
    public static final String TRUST_GROUP = "twoliter-cache";

    /** What became of a restore. */
    public enum Restore {
        /** The outputs are in place and recorded. */
        RESTORED,
        /** The cache has no entry for the key. */
        MISSING,
        /** The entry was refused (malformed, forged, colliding, tampered, unsigned): a new one may replace it. */
        UNUSABLE,
        /** The cache did not answer: publishing to it is not tried either. */
        UNREACHABLE
    }

    private final RemoteCache cache;
    private final Settings settings;
    private final Signing signing;
    private final BuildLog log;

    public RemoteBuildCache(RemoteCache cache, Settings settings, BuildLog log) {
        this(cache, settings, Signing.NONE, log);
    }

    public RemoteBuildCache(RemoteCache cache, Settings settings, Signing signing, BuildLog log) {
        this.cache = cache;
        this.settings = settings;
        this.signing = signing;
        this.log = log;
    }

    /** Whether a module takes part: images only when asked, since they are large. */
    public boolean covers(boolean outputsAreImages) {
        return !outputsAreImages || settings.images();
    }

    public boolean writes() {
        return settings.write();
    }

    public String location() {
        return cache.location();
    }

    /**
     * Restores a module's outputs if the cache has a good entry for its inputs and records them, so
     * the build counts as up to date afterwards.
     */
    public Restore restore(CacheKey key, Fingerprint inputs, BuildRecord record) throws IOException {
        long started = System.nanoTime();
        Path entryFile = Temporaries.newFile(record.directory(), "cache-entry");
        List<Path> fetched = new ArrayList<>();
        try {
            try {
                if (!cache.fetchEntry(key, MAX_ENTRY_BYTES, entryFile)) {
                    log.info(key.module() + " is not in the remote cache (key " + key.abbreviated() + "…)");
                    return Restore.MISSING;
                }
            } catch (RemoteCacheException e) {
                if (e.isFileTooLarge()) {
                    log.warn(key.module() + ": ignoring the remote cache entry " + key.abbreviated() + "… at "
                            + cache.location() + ": its description is larger than " + NetworkLimits.bytes(
                            MAX_ENTRY_BYTES) + " (" + e.getMessage() + "); building instead.");
                    return Restore.UNUSABLE;
                }
                log.warn(key.module() + ": could not read the remote cache at " + cache.location() + " ("
                        + e.getMessage() + "); building instead.");
                return Restore.UNREACHABLE;
            }
            byte[] description = Files.readAllBytes(entryFile);
            Optional<String> signer = Optional.empty();
            if (signing.trusted().isPresent()) {
                Optional<String> refusal;
                try {
                    SignatureOutcome outcome = checkSignature(key, description, record);
                    refusal = outcome.refusal();
                    signer = outcome.signer();
                } catch (RemoteCacheException e) {
                    log.warn(key.module() + ": could not fetch the signature of the remote cache entry "
                            + key.abbreviated() + "… from " + cache.location() + " (" + e.getMessage()
                            + "); building instead.");
                    return Restore.UNREACHABLE;
                }
                if (refusal.isPresent()) {
                    log.warn(key.module() + ": refused the remote cache entry " + key.abbreviated() + "… at "
                            + cache.location() + ": " + refusal.get() + "; building instead"
                            + (settings.write() ? " (the entry will be replaced)." : "."));
                    return Restore.UNUSABLE;
                }
            }
            CacheEntry entry;
            try {
                entry = CacheEntry.parse(description, key, settings.maxFileBytes());
            } catch (CacheEntry.MalformedCacheEntryException e) {
                log.warn(key.module() + ": ignoring the remote cache entry " + key.abbreviated() + "… at "
                        + cache.location() + ": it is malformed (" + e.getMessage() + "); building instead.");
                return Restore.UNUSABLE;
            }
            if (!entry.kind().equals(record.kind()) || !entry.builtFrom(inputs)) {
                log.warn(key.module() + ": ignoring the remote cache entry " + key.abbreviated() + "… at "
                        + cache.location() + ": it was built from other inputs than the ones it is stored under"
                        + " (a key collision or a forged entry); building instead.");
                return Restore.UNUSABLE;
            }
            Map<Path, Path> verified = new TreeMap<>();
            Fingerprint outputs = new Fingerprint();
            for (int i = 0; i < entry.outputs().size(); i++) {
                CacheEntry.Output output = entry.outputs().get(i);
                Optional<Path> target = record.contained(output.recordKey());
                if (target.isEmpty() || verified.containsKey(target.get())) {
                    log.warn(key.module() + ": ignoring the remote cache entry " + key.abbreviated() + "… at "
                            + cache.location() + ": output " + Syntax.show(output.recordKey())
                            + " is not a path of its own below the module's output directory; building instead.");
                    return Restore.UNUSABLE;
                }
                Path temp = AtomicFiles.tempSibling(target.get());
                fetched.add(temp);
                try {
                    cache.fetchFile(key, i, output.size(), temp);
                } catch (RemoteCacheException e) {
                    if (e.isFileTooLarge()) {
                        log.warn(key.module() + ": refused the remote cache entry " + key.abbreviated() + "… at "
                                + cache.location() + ": " + output.recordKey() + " is larger than the " + output.size()
                                + " bytes the entry says (" + e.getMessage() + "). The entry was altered or damaged;"
                                + " building instead" + (settings.write() ? " (the entry will be replaced)." : "."));
                        return Restore.UNUSABLE;
                    }
                    log.warn(key.module() + ": could not fetch " + output.recordKey() + " of the remote cache entry "
                            + key.abbreviated() + "… from " + cache.location() + " (" + e.getMessage()
                            + "); building instead.");
                    return Restore.UNREACHABLE;
                }
                long size = Files.size(temp);
                String sha256 = Digests.sha256(temp);
                if (size != output.size() || !sha256.equals(output.sha256())) {
                    log.warn(key.module() + ": refused the remote cache entry " + key.abbreviated() + "… at "
                            + cache.location() + ": " + output.recordKey() + " has " + size + " bytes and sha256 "
                            + sha256 + ", the entry says " + output.size() + " bytes and sha256 " + output.sha256()
                            + ". The entry was altered or damaged; building instead"
                            + (settings.write() ? " (the entry will be replaced)." : "."));
                    return Restore.UNUSABLE;
                }
                verified.put(target.get(), temp);
                outputs.put(Fingerprint.unescapeKey(output.recordKey()), sha256);
            }
            // Only now, with every file checked, does anything in the module change.
            record.invalidate();
            for (Map.Entry<Path, Path> file : verified.entrySet()) {
                AtomicFiles.moveIntoPlace(file.getValue(), file.getKey());
            }
            record.record(inputs, outputs);
            log.info(key.module() + " restored from the remote cache " + cache.location() + " (key "
                    + key.abbreviated() + "…, " + signer.map(s -> "signed by " + s + ", ").orElse("")
                    + entry.outputs().size() + " files, "
                    + NetworkLimits.bytes(entry.totalBytes()) + ", " + (System.nanoTime() - started) / 1_000_000
                    + " ms); no container started");
            return Restore.RESTORED;
        } finally {
            Files.deleteIfExists(entryFile);
            for (Path temp : fetched) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Publishes the outputs a build just recorded; a failure is a warning, since the build itself succeeded. */
    public void store(CacheKey key, Fingerprint inputs, BuildRecord record) throws IOException {
        long started = System.nanoTime();
        List<CacheEntry.Output> outputs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> output : new TreeMap<>(record.outputs().entries()).entrySet()) {
            Path file = record.output(output.getKey());
            outputs.add(new CacheEntry.Output(output.getKey(), output.getValue(), Files.size(file)));
            files.add(file);
        }
        String plugin = inputs.entries().getOrDefault("plugin", "unknown");
        CacheEntry entry = CacheEntry.of(key, record.kind(), plugin, inputs, outputs);
        Path entryFile = Temporaries.newFile(record.directory(), "cache-entry");
        Path signatureFile = null;
        try {
            byte[] description = entry.toToml().getBytes(StandardCharsets.UTF_8);
            Files.write(entryFile, description);
            if (signing.signingKey().isPresent()) {
                signatureFile = Temporaries.newFile(record.directory(), "cache-entry-signature");
                try {
                    Files.write(signatureFile, signing.signingKey().get().sign(description, Instant.now()));
                } catch (SigningException e) {
                    log.warn(key.module() + ": could not sign its remote cache entry (" + e.getMessage()
                            + "); nothing stored.");
                    return;
                }
            }
            cache.store(key, files, Optional.ofNullable(signatureFile), entryFile);
            log.info(key.module() + " stored in the remote cache " + cache.publishLocation() + " (key " + key.abbreviated()
                    + "…, " + files.size() + " files, " + NetworkLimits.bytes(entry.totalBytes()) + ", "
                    + (System.nanoTime() - started) / 1_000_000 + " ms)");
        } catch (RemoteCacheException e) {
            log.warn(key.module() + ": could not store its outputs in the remote cache at " + cache.publishLocation() + " ("
                    + e.getMessage() + "); the build itself succeeded.");
        } finally {
            Files.deleteIfExists(entryFile);
            if (signatureFile != null) {
                Files.deleteIfExists(signatureFile);
            }
        }
    }

    private record SignatureOutcome(Optional<String> refusal, Optional<String> signer) {}

    /** Checks the description's signature against the trusted keys; a refusal says why in a few words. */
    private SignatureOutcome checkSignature(CacheKey key, byte[] description, BuildRecord record)
            throws IOException, RemoteCacheException {
        Path signatureFile = Temporaries.newFile(record.directory(), "cache-entry-signature");
        try {
            try {
                if (!cache.fetchSignature(key, SignatureCheck.MAX_SIGNATURE_BYTES, signatureFile)) {
                    return new SignatureOutcome(Optional.of("it is not signed, and twoliter.cache.trustedKeys"
                            + " requires signed entries"), Optional.empty());
                }
            } catch (RemoteCacheException e) {
                if (e.isFileTooLarge()) {
                    return new SignatureOutcome(Optional.of("its signature is larger than any OpenPGP signature"
                            + " of ours (" + e.getMessage() + ")"), Optional.empty());
                }
                throw e;
            }
            SignatureCheck check = SignatureCheck.check(description, signatureFile, signing.trusted().get(),
                    TRUST_GROUP, Instant.now());
            if (check instanceof SignatureCheck.Verified verified) {
                return new SignatureOutcome(Optional.empty(), Optional.of(verified.fingerprint()));
            }
            SignatureCheck.Refused refused = (SignatureCheck.Refused) check;
            String why = switch (refused.reason()) {
                case MALFORMED -> "its signature is not an OpenPGP signature (" + refused.detail() + ")";
                case NO_TRUSTED_KEY, UNTRUSTED_KEY -> "it is signed by " + refused.key()
                        + ", which is not one of twoliter.cache.trustedKeys";
                case BAD_SIGNATURE -> "its signature by " + refused.key() + " does not match it (it was changed"
                        + " after signing)";
                case REVOKED -> "it is signed by " + refused.key() + ", which is revoked";
                case INVALID_WHEN_SIGNED -> "it is signed by " + refused.key() + ", which was not valid at "
                        + refused.detail();
                case EXPIRED -> "it is signed by " + refused.key() + ", which has expired";
            };
            return new SignatureOutcome(Optional.of(why), Optional.empty());
        } finally {
            Files.deleteIfExists(signatureFile);
        }
    }
}
