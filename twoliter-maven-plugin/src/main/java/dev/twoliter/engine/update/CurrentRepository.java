package dev.twoliter.engine.update;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.update.tuf.RepositorySource;
import dev.twoliter.engine.update.tuf.RootMetadata;
import dev.twoliter.engine.update.tuf.SignedMetadata;
import dev.twoliter.engine.update.tuf.TrustedRepository;
import dev.twoliter.engine.update.tuf.TufClient;
import dev.twoliter.engine.update.tuf.TufException;
import dev.twoliter.engine.update.tuf.TufLimits;
import dev.twoliter.engine.update.tuf.TufRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The repository as it is before a publication, verified from the owner's trusted root: its
 * metadata when it has any, or nothing when this publication creates it.
 *
 * @param trusted the verified metadata; empty for a new repository
 * @param trustedRootBytes the trusted root file as the owner keeps it
 */
record CurrentRepository(Optional<TrustedRepository> trusted, byte[] trustedRootBytes, RootMetadata trustedRoot) {

    static CurrentRepository read(PublishUpdateRequest request, UpdateRepositoryStore store) throws TwoliterException {
        return read(request.trustedRoot(), request.layout(), request.workDir(), request.now(), store);
    }

    static CurrentRepository read(Path trustedRoot, UpdateRepositoryLayout layout, Path workDir, Instant now,
            UpdateRepositoryStore store) throws TwoliterException {
        TufLimits limits = TufLimits.defaults();
        byte[] rootBytes = readTrustedRoot(trustedRoot, limits.maxRootBytes());
        String name = trustedRoot.getFileName().toString();
        SignedMetadata signed = SignedMetadata.parse(rootBytes, name);
        RootMetadata root = RootMetadata.fromJson(signed.signed(), name);
        signed.verify(TufRole.ROOT, root, name);
        StoreSource metadata = StoreSource.metadata(store, layout, workDir);
        Optional<Path> timestamp = metadata.fetch("timestamp.json", limits.maxTimestampBytes());
        if (timestamp.isEmpty()) {
            refuseForeignRoot(metadata, rootBytes, store, layout, trustedRoot);
            return new CurrentRepository(Optional.empty(), rootBytes, root);
        }
        try {
            // The timestamp just fetched to tell a new repository from an existing one is the one the
            // client reads first: asking the server again would cost a request and could see a newer one.
            Path fetched = timestamp.get();
            RepositorySource once = (file, maxBytes) -> file.equals("timestamp.json") ? Optional.of(fetched)
                    : metadata.fetch(file, maxBytes);
            TrustedRepository trusted = TufClient.refresh(once, rootBytes, Optional.empty(), now, limits);
            return new CurrentRepository(Optional.of(trusted), rootBytes, root);
        } catch (TufException e) {
            throw new TwoliterException("The update repository at " + store.location() + " (" + layout.variant()
                    + ", " + layout.arch() + ") does not verify from the trusted root " + trustedRoot + ": "
                    + e.getMessage() + " Nothing was published.", e);
        }
    }

    /**
     * A repository without a timestamp is new, or a first publication stopped before its end: then
     * its root, if any, must be ours, or a client trusting it would never accept what we publish.
     */
    private static void refuseForeignRoot(StoreSource metadata, byte[] rootBytes, UpdateRepositoryStore store,
            UpdateRepositoryLayout layout, Path trustedRoot) throws TwoliterException {
        Optional<Path> first = metadata.fetch("1.root.json", rootBytes.length + 1L);
        if (first.isPresent()) {
            try {
                byte[] there = Files.readAllBytes(first.get());
                if (!Arrays.equals(there, rootBytes)) {
                    throw new TwoliterException("The update repository at " + store.location() + " has a "
                            + layout.metadataPath("1.root.json") + " that differs from the trusted root "
                            + trustedRoot + " and no timestamp.json. Publish with the root it was created"
                            + " with, or remove that file if it is the leftover of another repository.");
                }
            } catch (IOException e) {
                throw new TwoliterException("Could not read " + first.get() + ": " + e.getMessage(), e);
            }
        }
    }

    private static byte[] readTrustedRoot(Path file, long maxBytes) throws TwoliterException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new TwoliterException("The trusted root " + file + " is larger than " + maxBytes
                        + " bytes; it is not a TUF root.json.");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new TwoliterException("The trusted root " + Syntax.show(file.toString()) + " does not exist; create"
                    + " it with the update repository's keys (docs/updates.md#keys).");
        } catch (IOException e) {
            throw new TwoliterException("Could not read the trusted root " + file + ": " + e.getMessage(), e);
        }
    }
}
