package dev.twoliter.engine.fingerprint;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a module's last successful build consumed and produced: the fingerprint of its inputs and
 * the digests of its outputs, kept as {@code <kind>-inputs.txt} and {@code <kind>-outputs.txt} in
 * the module's work directory. Output keys end with the output's path relative to {@code
 * outputBase}, after any {@code :}-separated prefix the pipeline wants to keep with it.
 */
public final class BuildRecord {
    private final Path inputsFile;
    private final Path outputsFile;
    private final Path outputBase;

    public BuildRecord(Path workDir, String kind, Path outputBase) {
        this.inputsFile = workDir.resolve(kind + "-inputs.txt");
        this.outputsFile = workDir.resolve(kind + "-outputs.txt");
        this.outputBase = outputBase;
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
        for (Map.Entry<String, String> output : outputs.entries().entrySet()) {
            Path file = output(output.getKey());
            if (!Files.isRegularFile(file) || !Digests.sha256(file).equals(output.getValue())) {
                log.info(module + ": output " + file + " is missing or was modified; rebuilding");
                return false;
            }
        }
        return true;
    }

    /** Forgets the last build before a new one starts, so a failed build is never taken as up to date. */
    public void invalidate() throws IOException {
        Files.deleteIfExists(inputsFile);
    }

    /** Records a successful build: outputs first, inputs last (the inputs make it count). */
    public void record(Fingerprint inputs, Fingerprint outputs) throws IOException {
        outputs.write(outputsFile);
        inputs.write(inputsFile);
    }

    public Fingerprint outputs() {
        return Fingerprint.read(outputsFile);
    }

    /** The output file a recorded key names. */
    public Path output(String key) {
        return outputBase.resolve(key.substring(key.lastIndexOf(':') + 1));
    }

    /** The key for an output file under the output base, with an optional prefix. */
    public String key(String prefix, Path file) {
        String relative = outputBase.relativize(file.toAbsolutePath()).toString();
        return prefix.isEmpty() ? relative : prefix + ":" + relative;
    }
}
