package dev.twoliter.engine.fingerprint;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a build's outputs depend on, as named entries ({@code source:hello.c} = its digest).
 * Kept as readable lines next to the outputs so that a rebuild can say which inputs changed.
 */
public final class Fingerprint {
    /** Fingerprints have an entry per input file; this is far beyond any real one. */
    static final long MAX_FILE_BYTES = 64L << 20;
    private final Map<String, String> entries = new LinkedHashMap<>();

    /**
     * Adds an entry. A key may hold any one-line text (file names do); {@code %} and {@code =} are
     * escaped in the stored form, so that the first {@code =} of a line always ends its key.
     */
    public Fingerprint put(String key, String value) {
        if (key.isEmpty() || hasControlCharacter(key)) {
            throw new IllegalArgumentException("Bad fingerprint key: " + Syntax.show(key));
        }
        key = escapeKey(key);
        // Control characters would make the stored line unreadable (read refuses them), and so the
        // module never up to date: they are kept as spaces, as newlines always were.
        entries.put(key, Objects.toString(value, "").codePoints()
                .map(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
        return this;
    }

    static String escapeKey(String key) {
        return key.replace("%", "%25").replace("=", "%3D");
    }

    /** The key as it was given to {@link #put}, from its stored form. */
    public static String unescapeKey(String stored) {
        return stored.replace("%3D", "=").replace("%25", "%");
    }

    public Fingerprint putFile(String key, Path file) throws IOException {
        return put(key, Digests.sha256(file));
    }

    public Map<String, String> entries() {
        return Map.copyOf(entries);
    }

    /** A single digest over all entries, in insertion order. */
    public String digest() {
        return Digests.sha256(text());
    }

    /** The entries as stored: one {@code key=value} line each, in insertion order. */
    public String text() {
        StringBuilder text = new StringBuilder();
        entries.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, text());
    }

    /**
     * Reads a stored fingerprint; empty (so nothing counts as up to date) if there is none, it cannot
     * be read, or it is not what {@link #write} writes: too large, or a line with a control
     * character or without a key.
     */
    public static Fingerprint read(Path file) {
        Fingerprint fingerprint = new Fingerprint();
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                return new Fingerprint();
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq <= 0 || hasControlCharacter(line)) {
                    return new Fingerprint();
                }
                fingerprint.entries.put(line.substring(0, eq), line.substring(eq + 1));
            }
        } catch (IOException e) {
            return new Fingerprint();
        }
        return fingerprint;
    }

    private static boolean hasControlCharacter(String text) {
        return text.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029);
    }

    /** Names of the entries that differ from {@code previous} (added, removed or changed). */
    public List<String> changesSince(Fingerprint previous) {
        List<String> changes = new ArrayList<>();
        entries.forEach((k, v) -> {
            if (!v.equals(previous.entries.get(k))) {
                changes.add(k);
            }
        });
        previous.entries.keySet().stream().filter(k -> !entries.containsKey(k)).forEach(k -> changes.add(k + " (removed)"));
        return changes;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
