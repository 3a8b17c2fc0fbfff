package dev.twoliter.engine.kit;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Typed, validated access to the values of a TOML file the plugin reads (kit manifests, the lock
 * file). Every error names the file, the key with its table path ({@code payload.x86_64.rpm[3].sha256},
 * array indexes counted from 0) and the value as {@link Syntax#show} renders it, and ends with the
 * file's advice (how to get a good file).
 */
final class TomlFields {
    private final String where;
    private final String advice;
    private final TomlParseResult document;
    private final String sha256;

    private TomlFields(String where, String advice, TomlParseResult document, String sha256) {
        this.where = where;
        this.advice = advice;
        this.document = document;
        this.sha256 = sha256;
    }

    /**
     * Parses {@code file}, refusing it unparsed if it is larger than {@code maxBytes}.
     *
     * @param where names the file in errors, e.g. {@code kit manifest g:a:1 (/path/a.kit.toml)}
     * @param advice appended to every error ("" or a sentence with a leading space)
     */
    static TomlFields read(Path file, String where, long maxBytes, String advice) throws KitException, IOException {
        return parse(readBounded(file, where, maxBytes, advice), where, advice);
    }

    /** The file's bytes, if it has at most {@code maxBytes}. */
    static byte[] readBounded(Path file, String where, long maxBytes, String advice) throws KitException, IOException {
        long size = Files.size(file);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // The size may change between the check and the read; the bounded read decides.
            bytes = size > maxBytes ? null : in.readNBytes((int) maxBytes + 1);
        }
        if (bytes == null || bytes.length > maxBytes) {
            throw new KitException(where + " is " + Math.max(size, maxBytes + 1) + " bytes, more than the " + maxBytes
                    + " bytes such a file may have; it was not read." + advice);
        }
        return bytes;
    }

    static TomlFields parse(byte[] bytes, String where, String advice) throws KitException {
        TomlParseResult toml;
        try {
            toml = Toml.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException | StackOverflowError e) {
            throw new KitException(where + " is not valid TOML: " + e + "." + advice);
        }
        if (toml.hasErrors()) {
            throw new KitException(where + " is not valid TOML: " + toml.errors().get(0) + "." + advice);
        }
        return new TomlFields(where, advice, toml, HexFormat.of().formatHex(Digests.newDigest("SHA-256").digest(bytes)));
    }

    TomlParseResult document() {
        return document;
    }

    /** The sha256 of exactly the bytes that were parsed. */
    String sha256() {
        return sha256;
    }

    /** An error about the whole file: {@code <where> <predicate><advice>}. */
    KitException error(String predicate) {
        return new KitException(where + " " + predicate + advice);
    }

    /** An error about one value: {@code <where>: <key> <predicate><advice>}. */
    KitException at(String key, String predicate) {
        return new KitException(where + ": " + key + " " + predicate + advice);
    }

    /** {@code <where>: <key> <isWhat>, which is not <rule>.<advice>} */
    KitException invalid(String key, String isWhat, String rule) {
        return new KitException(where + ": " + key + " " + isWhat + ", which is not " + rule + "." + advice);
    }

    String text(TomlTable table, String at, String key) throws KitException {
        Object value = value(table, at, key, "a string");
        if (!(value instanceof String s)) {
            throw wrongType(at, key, "a string", value);
        }
        return s;
    }

    long integer(TomlTable table, String at, String key) throws KitException {
        Object value = value(table, at, key, "an integer");
        if (!(value instanceof Long l)) {
            throw wrongType(at, key, "an integer", value);
        }
        return l;
    }

    TomlTable table(TomlTable table, String at, String key) throws KitException {
        Object value = value(table, at, key, "a table");
        if (!(value instanceof TomlTable t)) {
            throw wrongType(at, key, "a table", value);
        }
        return t;
    }

    /** The elements of a required array, of any type (the caller checks them). */
    List<Object> values(TomlTable table, String at, String key) throws KitException {
        Object value = value(table, at, key, "an array");
        if (!(value instanceof TomlArray array)) {
            throw wrongType(at, key, "an array", value);
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            values.add(array.get(i));
        }
        return values;
    }

    /** An optional array of tables ({@code [[key]]}); empty if absent, refused if longer than {@code max}. */
    List<TomlTable> tables(TomlTable table, String at, String key, int max) throws KitException {
        Object value = table.get(List.of(key));
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof TomlArray array)) {
            throw wrongType(at, key, "an array of tables", value);
        }
        if (array.size() > max) {
            throw new KitException(where + ": " + path(at, key) + " has " + array.size() + " entries, more than the "
                    + max + " allowed." + advice);
        }
        List<TomlTable> tables = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlTable t)) {
                throw new KitException(where + ": " + path(at, key) + "[" + i + "] must be a table, but it is "
                        + typeOf(array.get(i)) + "." + advice);
            }
            tables.add(t);
        }
        return tables;
    }

    String mavenId(TomlTable table, String at, String key) throws KitException {
        String value = text(table, at, key);
        if (!Syntax.isMavenId(value)) {
            throw invalid(path(at, key), "is " + Syntax.show(value),
                    "a Maven id (letters, digits, '_', '.' and '-', at most 255)");
        }
        return value;
    }

    String mavenVersion(TomlTable table, String at, String key) throws KitException {
        String value = text(table, at, key);
        if (!Syntax.isMavenVersion(value)) {
            throw invalid(path(at, key), "is " + Syntax.show(value),
                    "a Maven version (no spaces, control characters or \\/:\"<>|?*, at most 255)");
        }
        return value;
    }

    String sha256(TomlTable table, String at, String key) throws KitException {
        String value = text(table, at, key);
        if (!Syntax.isSha256(value)) {
            throw invalid(path(at, key), "is " + Syntax.show(value), "a sha256 digest (64 lowercase hex digits)");
        }
        return value;
    }

    /** An OpenPGP fingerprint: 40 (v4) or 64 (v6) upper-case hex digits; empty if the key is absent. */
    java.util.Optional<String> optionalFingerprint(TomlTable table, String at, String key) throws KitException {
        if (table.get(List.of(key)) == null) {
            return java.util.Optional.empty();
        }
        String value = text(table, at, key);
        if (!value.matches("[0-9A-F]{40}|[0-9A-F]{64}")) {
            throw invalid(path(at, key), "is " + Syntax.show(value), "an OpenPGP fingerprint (40 or 64 upper-case hex"
                    + " digits)");
        }
        return java.util.Optional.of(value);
    }

    String imageId(TomlTable table, String at, String key) throws KitException {
        String value = text(table, at, key);
        if (!Syntax.isImageId(value)) {
            throw invalid(path(at, key), "is " + Syntax.show(value), "a Docker image id (sha256: and 64 lowercase hex"
                    + " digits)");
        }
        return value;
    }

    String oneLine(TomlTable table, String at, String key) throws KitException {
        String value = text(table, at, key);
        if (value.isEmpty() || !Syntax.isOneLine(value, KitManifest.MAX_TEXT_LENGTH)) {
            throw invalid(path(at, key), "is " + Syntax.show(value), "one line of 1 to " + KitManifest.MAX_TEXT_LENGTH
                    + " printable characters");
        }
        return value;
    }

    static String path(String at, String key) {
        return at.isEmpty() ? key : at + "." + key;
    }

    static String typeOf(Object value) {
        if (value instanceof String) {
            return "a string";
        } else if (value instanceof Long) {
            return "an integer";
        } else if (value instanceof Double) {
            return "a float";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof TomlArray) {
            return "an array";
        } else if (value instanceof TomlTable) {
            return "a table";
        } else if (value instanceof Temporal) {
            return "a date or time";
        }
        return "something else";
    }

    private Object value(TomlTable table, String at, String key, String what) throws KitException {
        // A list path: tomlj would split a plain string key at dots.
        Object value = table.get(List.of(key));
        if (value == null) {
            throw new KitException(where + " lacks '" + path(at, key) + "' (" + what + ")." + advice);
        }
        return value;
    }

    private KitException wrongType(String at, String key, String what, Object value) {
        return new KitException(where + ": " + path(at, key) + " must be " + what + ", but it is " + typeOf(value)
                + (value instanceof String || value instanceof Long ? " (" + Syntax.show(value.toString()) + ")" : "")
                + "." + advice);
    }
}
