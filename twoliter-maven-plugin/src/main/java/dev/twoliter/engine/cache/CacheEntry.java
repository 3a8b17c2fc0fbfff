package dev.twoliter.engine.cache;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.TomlText;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The description of one remote cache entry ({@code entry.toml}): whose build it is, the inputs it
 * was built from (so that a key collision is seen, not trusted), and each output with the path
 * the build record knows it by, its size and its sha256. Files are restored only after each one
 * matched its digest here.
 *
 * @param key where the entry is stored
 * @param kind the packaging that built it
 * @param plugin the plugin version that built it (for people reading the entry)
 * @param inputs the fingerprint's lines ({@code key=value}) the outputs were built from
 * @param outputs the files, in the order they are stored
 */
public record CacheEntry(CacheKey key, String kind, String plugin, List<String> inputs, List<Output> outputs) {
    static final int FORMAT_VERSION = 1;
    /** A module has a handful of outputs; a bound keeps a hostile entry from costing memory. */
    static final int MAX_OUTPUTS = 10_000;
    static final int MAX_INPUTS = 1_000_000;
    static final int MAX_TEXT = 4096;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /**
     * One output file.
     *
     * @param recordKey the key the build record gives it: its path below the module's output base,
     *     after an optional {@code prefix:}
     */
    public record Output(String recordKey, String sha256, long size) {}

    public CacheEntry {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public static CacheEntry of(CacheKey key, String kind, String plugin, Fingerprint inputs, List<Output> outputs) {
        return new CacheEntry(key, kind, plugin, lines(inputs), outputs);
    }

    /** Whether the entry was built from exactly these inputs (a different text under the same key is a collision). */
    public boolean builtFrom(Fingerprint fingerprint) {
        return inputs.equals(lines(fingerprint));
    }

    private static List<String> lines(Fingerprint fingerprint) {
        return fingerprint.text().lines().toList();
    }

    public long totalBytes() {
        return outputs.stream().mapToLong(Output::size).sum();
    }

    /** The entry as TOML; equal entries give equal bytes. */
    public String toToml() {
        StringBuilder toml = new StringBuilder();
        toml.append("# A twoliter-maven remote build cache entry. Its files are checked against these digests.\n");
        toml.append(TomlText.entry("format", FORMAT_VERSION));
        toml.append(TomlText.entry("module", key.module()));
        toml.append(TomlText.entry("key", key.digest()));
        toml.append(TomlText.entry("kind", kind));
        toml.append(TomlText.entry("plugin", plugin));
        toml.append("inputs = [\n");
        for (String input : inputs) {
            toml.append("  ").append(TomlText.string(input)).append(",\n");
        }
        toml.append("]\n");
        for (Output output : outputs) {
            toml.append("\n[[output]]\n");
            toml.append(TomlText.entry("path", output.recordKey()));
            toml.append(TomlText.entry("size", output.size()));
            toml.append(TomlText.entry("sha256", output.sha256()));
        }
        return toml.toString();
    }

    /**
     * Reads an entry fetched for {@code expected}, checking every value's type and range.
     *
     * @param maxFileBytes the largest output file accepted
     * @throws MalformedCacheEntryException naming the first thing wrong
     */
    public static CacheEntry parse(byte[] bytes, CacheKey expected, long maxFileBytes)
            throws MalformedCacheEntryException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedCacheEntryException("it is not UTF-8 text");
        }
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            throw new MalformedCacheEntryException("it is not valid TOML (" + toml.errors().get(0).toString() + ")");
        }
        Object format = toml.get("format");
        if (!(format instanceof Long version) || version != FORMAT_VERSION) {
            throw new MalformedCacheEntryException("its format is " + Syntax.show(String.valueOf(format))
                    + ", not " + FORMAT_VERSION);
        }
        String module = string(toml, "module");
        String digest = string(toml, "key");
        if (!module.equals(expected.module()) || !digest.equals(expected.digest())) {
            throw new MalformedCacheEntryException("it describes " + Syntax.show(module) + " with key "
                    + Syntax.show(digest) + ", not the key it is stored under");
        }
        String kind = string(toml, "kind");
        if (!KIND.matcher(kind).matches()) {
            throw new MalformedCacheEntryException("its kind " + Syntax.show(kind) + " is not a packaging name");
        }
        String plugin = string(toml, "plugin");
        TomlArray inputArray = toml.getArray("inputs");
        if (inputArray == null || inputArray.size() > MAX_INPUTS) {
            throw new MalformedCacheEntryException("it has no list of inputs (or more than " + MAX_INPUTS + ")");
        }
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < inputArray.size(); i++) {
            if (!(inputArray.get(i) instanceof String line) || line.indexOf('=') <= 0) {
                throw new MalformedCacheEntryException("inputs[" + i + "] is not a key=value text");
            }
            inputs.add(line);
        }
        TomlArray outputArray = toml.getArray("output");
        if (outputArray == null || outputArray.isEmpty() || outputArray.size() > MAX_OUTPUTS) {
            throw new MalformedCacheEntryException("it lists no output (or more than " + MAX_OUTPUTS + ")");
        }
        List<Output> outputs = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < outputArray.size(); i++) {
            if (!(outputArray.get(i) instanceof TomlTable table)) {
                throw new MalformedCacheEntryException("output[" + i + "] is not a table");
            }
            String at = "output[" + i + "]";
            String path = string(table, "path", at);
            if (!paths.add(path)) {
                throw new MalformedCacheEntryException(at + ".path " + Syntax.show(path) + " is listed twice");
            }
            Object size = table.get("size");
            if (!(size instanceof Long length) || length < 0 || length > maxFileBytes) {
                throw new MalformedCacheEntryException(at + ".size " + Syntax.show(String.valueOf(size))
                        + " is not a size from 0 to " + maxFileBytes + " bytes");
            }
            String sha256 = string(table, "sha256", at);
            if (!SHA256.matcher(sha256).matches()) {
                throw new MalformedCacheEntryException(at + ".sha256 " + Syntax.show(sha256)
                        + " is not 64 lower-case hex digits");
            }
            outputs.add(new Output(path, sha256, length));
        }
        return new CacheEntry(expected, kind, plugin, inputs, outputs);
    }

    private static String string(TomlTable table, String key) throws MalformedCacheEntryException {
        return string(table, key, "");
    }

    private static String string(TomlTable table, String key, String at) throws MalformedCacheEntryException {
        String name = at.isEmpty() ? key : at + "." + key;
        if (!(table.get(key) instanceof String value)) {
            throw new MalformedCacheEntryException(name + " is missing or not a string");
        }
        if (value.isEmpty() || value.length() > MAX_TEXT
                || value.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            throw new MalformedCacheEntryException(name + " " + Syntax.show(value)
                    + " is empty, longer than " + MAX_TEXT + " characters or holds control characters");
        }
        return value;
    }

    /** An entry that is not what this plugin writes; it is ignored and the module is built. */
    public static final class MalformedCacheEntryException extends Exception {
        public MalformedCacheEntryException(String message) {
            super(message);
        }
    }
}
