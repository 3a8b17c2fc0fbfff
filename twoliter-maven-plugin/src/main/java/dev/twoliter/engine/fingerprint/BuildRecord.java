package dev.twoliter.engine.fingerprint;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a module's last successful build consumed and produced: the fingerprint of its inputs and
 * the digests of its outputs, kept as {@code <kind>-inputs.txt} and {@code <kind>-outputs.txt} in
 * the module's work directory. Output keys end with the output's path relative to {@code
 * outputBase}, after any {@code :}-separated prefix the pipeline wants to keep with it. Each
 * output's {@link FileStamp} when it was recorded is kept in {@code <kind>-output-stamps.txt}: an
 * output whose stamp is unchanged is not read again to check its digest.
 */
public final class BuildRecord {
    private final Path inputsFile;
    private final Path outputsFile;
    private final Path stampsFile;
    private final Path outputBase;
    private final String kind;
    private final Clock clock;

    public BuildRecord(Path workDir, String kind, Path outputBase) {
        this(workDir, kind, outputBase, Clock.systemUTC());
    }

    BuildRecord(Path workDir, String kind, Path outputBase, Clock clock) {
        this.inputsFile = workDir.resolve(kind + "-inputs.txt");
        this.outputsFile = workDir.resolve(kind + "-outputs.txt");
        this.stampsFile = workDir.resolve(kind + "-output-stamps.txt");
        this.outputBase = outputBase.toAbsolutePath().normalize();
        this.kind = kind;
        this.clock = clock;
    }

    /** What kind of build this records (rpm, kit, variant). */
    public String kind() {
        return kind;
    }

    /** The directory the record is kept in (the module's work directory). */
    public Path directory() {
        return inputsFile.getParent();
    }

    /**
     * True if the inputs equal the recorded ones and every recorded output still has its digest;
     * otherwise logs why the module is rebuilt.
     */
    public boolean isUpToDate(Fingerprint inputs, String module, BuildLog log) throws IOException {
        Fingerprint previous = Fingerprint.read(inputsFile);
        if (previous.isEmpty()) {
            return false;
        }
        List<String> changes = inputs.changesSince(previous);
        if (!changes.isEmpty()) {
            log.info(module + " changed since its last build: " + String.join(", ", changes));
            return false;
        }
        Fingerprint outputs = outputs();
        if (outputs.isEmpty()) {
            return false;
        }
        Map<String, String> recordedStamps = Fingerprint.read(stampsFile).entries();
        Fingerprint stamps = new Fingerprint();
        Instant now = clock.instant();
        boolean newStamps = false;
        for (Map.Entry<String, String> output : outputs.entries().entrySet()) {
            Optional<Path> contained = contained(output.getKey());
            if (contained.isEmpty()) {
                log.info(module + ": its build record " + outputsFile + " names a path outside " + outputBase + " ("
                        + Syntax.show(output.getKey()) + "); rebuilding");
                return false;
            }
            Path file = contained.get();
            String recorded = recordedStamps.get(output.getKey());
            Optional<String> before = FileStamp.of(file);
            if (recorded != null && before.equals(Optional.of(recorded))) {
                stamps.put(Fingerprint.unescapeKey(output.getKey()), recorded);
                continue;
            }
            if (!Files.isRegularFile(file) || !Digests.sha256(file).equals(output.getValue())) {
                log.info(module + ": output " + file + " is missing or was modified; rebuilding");
                return false;
            }
            // A stamp that held from before the read to after it belongs to the bytes just checked: kept,
            // the next check need not read them (outputs restored from a cache get theirs this way).
            Optional<String> settled = FileStamp.ofSettled(file, now);
            if (settled.isPresent() && settled.equals(before)) {
                stamps.put(Fingerprint.unescapeKey(output.getKey()), settled.get());
                newStamps = true;
            }
        }
        if (newStamps) {
            stamps.write(stampsFile);
        }
        return true;
    }

    /** Forgets the last build before a new one starts, so a failed build is never taken as up to date. */
    public void invalidate() throws IOException {
        Files.deleteIfExists(inputsFile);
    }

    /**
     * Records a successful build: outputs first, inputs last (the inputs make it count). The outputs'
     * digests were taken by this build from the files it had just written, and their stamps are taken
     * now (nothing else writes a module's outputs while its build runs); an output written in the
     * last second gets none, and is read again by the next check, which costs little for the small
     * files that are written last.
     */
    public void record(Fingerprint inputs, Fingerprint outputs) throws IOException {
        outputs.write(outputsFile);
        stamps(outputs).write(stampsFile);
        inputs.write(inputsFile);
    }

    private Fingerprint stamps(Fingerprint outputs) throws IOException {
        Instant now = clock.instant();
        Fingerprint stamps = new Fingerprint();
        for (String key : outputs.entries().keySet()) {
            Optional<Path> file = contained(key);
            if (file.isPresent()) {
                Optional<String> stamp = FileStamp.ofSettled(file.get(), now);
                if (stamp.isPresent()) {
                    stamps.put(Fingerprint.unescapeKey(key), stamp.get());
                }
            }
        }
        return stamps;
    }

    public Fingerprint outputs() {
        return Fingerprint.read(outputsFile);
    }

    /**
     * The output file a recorded key names.
     *
     * @throws IllegalStateException if the key names no file strictly below the output base (an
     *     absolute path, {@code ..}, nothing): {@link #isUpToDate} never accepts such a record
     */
    public Path output(String key) {
        return contained(key).orElseThrow(() -> new IllegalStateException("The build record " + outputsFile
                + " names " + Syntax.show(key) + ", which is not a path below " + outputBase + "."));
    }

    /** The file a key names if it is relative and stays strictly below the output base. */
    public Optional<Path> contained(String key) {
        String relative = Fingerprint.unescapeKey(key.substring(key.lastIndexOf(':') + 1));
        if (relative.isEmpty() || relative.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(relative);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        if (path.isAbsolute()) {
            return Optional.empty();
        }
        Path file = outputBase.resolve(path).normalize();
        return file.startsWith(outputBase) && !file.equals(outputBase) ? Optional.of(file) : Optional.empty();
    }

    /**
     * The key for an output file under the output base, with an optional prefix. A file elsewhere
     * gets a key that {@link #isUpToDate} refuses, so its module is simply rebuilt each time.
     */
    public String key(String prefix, Path file) {
        String relative = outputBase.relativize(file.toAbsolutePath().normalize()).toString();
        return prefix.isEmpty() ? relative : prefix + ":" + relative;
    }
}
