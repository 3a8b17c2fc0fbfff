package dev.twoliter.engine.update;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.update.tuf.ExpirationPolicy;
import dev.twoliter.engine.update.tuf.TufRole;
import dev.twoliter.engine.update.tuf.TufSigningKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a publication of one version needs.
 *
 * @param trustedRoot the repository's root metadata as its owner keeps it (the trust anchor every
 *     download is verified from; uploaded as {@code 1.root.json} when the repository is new)
 * @param keys the signing keys of the targets, snapshot and timestamp roles (the root key stays offline)
 * @param maxVersion the newest version machines of this variant may move to (usually this version)
 * @param workDir where downloads and the new metadata are staged; emptied by the caller
 */
public record PublishUpdateRequest(String variant, String arch, UpdateVersion version, UpdateVersion maxVersion,
        UpdatePayloads payloads, Path trustedRoot, Map<TufRole, List<TufSigningKey>> keys, ExpirationPolicy expirations,
        WavePolicy waves, Instant now, Path workDir, BuildLog log) {

    public UpdateRepositoryLayout layout() {
        return new UpdateRepositoryLayout(variant, arch);
    }
}
