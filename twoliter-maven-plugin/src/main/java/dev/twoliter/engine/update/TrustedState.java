package dev.twoliter.engine.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.update.tuf.RootMetadata;
import dev.twoliter.engine.update.tuf.SignedMetadata;
import dev.twoliter.engine.update.tuf.SnapshotMetadata;
import dev.twoliter.engine.update.tuf.TargetsMetadata;
import dev.twoliter.engine.update.tuf.TimestampMetadata;
import dev.twoliter.engine.update.tuf.TrustedRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a machine remembers of its update repository between checks, as a TUF client must: the
 * newest root it trusts (so that rotated keys stay rotated) and the versions of the timestamp,
 * snapshot and targets it last accepted (so that a server cannot serve older, still validly signed
 * metadata). Written only after a successful refresh.
 */
final class TrustedState {
    static final String ROOT = "root.json";
    private static final String TIMESTAMP = "timestamp.json";
    private static final String SNAPSHOT = "snapshot.json";
    private static final String TARGETS = "targets.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TrustedState() {}

    /** The root to start from: the newest one remembered, else the one the user trusts. */
    static byte[] root(Path dir, byte[] configured) throws TwoliterException {
        Path remembered = dir.resolve(ROOT);
        if (!Files.isRegularFile(remembered)) {
            return configured;
        }
        try {
            byte[] bytes = Files.readAllBytes(remembered);
            RootMetadata newer = RootMetadata.fromJson(SignedMetadata.parse(bytes, ROOT).signed(), ROOT);
            RootMetadata given = RootMetadata.fromJson(SignedMetadata.parse(configured, "the trusted root").signed(),
                    "the trusted root");
            return newer.version() >= given.version() ? bytes : configured;
        } catch (IOException e) {
            throw new TwoliterException("Could not read " + remembered + ": " + e.getMessage(), e);
        }
    }

    /** The metadata accepted last; empty the first time (or after the state was removed). */
    static Optional<TrustedRepository> previous(Path dir) throws TwoliterException {
        if (!Files.isRegularFile(dir.resolve(ROOT)) || !Files.isRegularFile(dir.resolve(TIMESTAMP))) {
            return Optional.empty();
        }
        try {
            byte[] rootBytes = Files.readAllBytes(dir.resolve(ROOT));
            RootMetadata root = RootMetadata.fromJson(SignedMetadata.parse(rootBytes, ROOT).signed(), ROOT);
            return Optional.of(new TrustedRepository(root, rootBytes,
                    TimestampMetadata.fromJson(read(dir, TIMESTAMP), TIMESTAMP),
                    SnapshotMetadata.fromJson(read(dir, SNAPSHOT), SNAPSHOT),
                    TargetsMetadata.fromJson(read(dir, TARGETS), TARGETS)));
        } catch (IOException e) {
            throw new TwoliterException("Could not read the update state in " + dir + ": " + e.getMessage()
                    + "; remove the directory to start again from the trusted root.", e);
        }
    }

    static void save(Path dir, TrustedRepository trusted) throws TwoliterException {
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(TIMESTAMP), bytes(trusted.timestamp().toJson()));
            AtomicFiles.write(dir.resolve(SNAPSHOT), bytes(trusted.snapshot().toJson()));
            AtomicFiles.write(dir.resolve(TARGETS), bytes(trusted.targets().toJson()));
            AtomicFiles.write(dir.resolve(ROOT), trusted.rootFileBytes());
        } catch (IOException e) {
            throw new TwoliterException("Could not save the update state in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode read(Path dir, String name) throws IOException {
        return MAPPER.readTree(Files.readAllBytes(dir.resolve(name)));
    }

    private static byte[] bytes(JsonNode node) throws IOException {
        return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    }
}
