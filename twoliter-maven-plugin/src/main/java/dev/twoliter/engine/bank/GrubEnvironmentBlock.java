package dev.twoliter.engine.bank;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * GRUB's environment block ({@code load_env}, {@code save_env}, {@code grub-editenv}): exactly
 * 1024 bytes, the header line {@code # GRUB Environment Block}, one {@code name=value} line per
 * variable, then {@code #} up to the end. In values, a backslash is written {@code \\} and any
 * escaped character stands for itself, as GRUB reads and writes them. Lines that start with
 * {@code #} are comments (Debian's grub-editenv writes one after the header).
 *
 * <p>GRUB's {@code save_env} only rewrites the sectors the block already occupies, so the size is
 * fixed: rendering refuses content that does not fit rather than grow the block.
 *
 * @param variables in the order they are written
 */
public record GrubEnvironmentBlock(Map<String, String> variables) {
    public static final int SIZE = 1024;
    public static final String HEADER = "# GRUB Environment Block\n";
    private static final byte[] HEADER_BYTES = HEADER.getBytes(StandardCharsets.US_ASCII);

    public GrubEnvironmentBlock {
        Map<String, String> copy = new LinkedHashMap<>();
        variables.forEach((name, value) -> {
            checkName(name);
            if (value == null || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("The value of " + name + " must be one line");
            }
            copy.put(name, value);
        });
        variables = Collections.unmodifiableMap(copy);
    }

    /** Whether these bytes start like an environment block: what a scan for one looks for. */
    public static boolean startsWithHeader(byte[] bytes, int offset) {
        return bytes.length - offset >= HEADER_BYTES.length
                && Arrays.equals(bytes, offset, offset + HEADER_BYTES.length, HEADER_BYTES, 0, HEADER_BYTES.length);
    }

    /**
     * Reads a block, refusing anything GRUB would not have written: a wrong size or header, a line
     * without {@code =} or with an empty or non-printable name, a line that does not end before the
     * padding, a byte other than {@code #} in the padding. A name given twice keeps its first value,
     * as GRUB's lookup does.
     */
    public static GrubEnvironmentBlock parse(byte[] block) {
        if (block.length != SIZE) {
            throw new IllegalArgumentException("A GRUB environment block has " + SIZE + " bytes, not " + block.length);
        }
        if (!startsWithHeader(block, 0)) {
            throw new IllegalArgumentException("Not a GRUB environment block: the header is missing");
        }
        Map<String, String> variables = new LinkedHashMap<>();
        int at = HEADER_BYTES.length;
        while (at < SIZE) {
            int end = indexOf(block, (byte) '\n', at);
            if (block[at] == '#') {
                if (end < 0) {
                    // The padding: '#' to the last byte.
                    for (int i = at; i < SIZE; i++) {
                        if (block[i] != '#') {
                            throw new IllegalArgumentException("Byte " + i + " of the padding is not '#'");
                        }
                    }
                    break;
                }
                at = end + 1; // a comment line
                continue;
            }
            at = parseVariable(block, at, variables);
        }
        return new GrubEnvironmentBlock(variables);
    }

    /** Parses one {@code name=value} line at {@code at}; returns where the next line starts. */
    private static int parseVariable(byte[] block, int at, Map<String, String> variables) {
        int equals = indexOf(block, (byte) '=', at);
        if (equals <= at) {
            throw new IllegalArgumentException("Byte " + at + ": a line without a variable name");
        }
        String name = new String(block, at, equals - at, StandardCharsets.ISO_8859_1);
        if (name.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("Byte " + at + ": a line without '='");
        }
        checkName(name);
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        int i = equals + 1;
        while (true) {
            if (i >= SIZE) {
                throw new IllegalArgumentException("The value of " + name + " does not end before the block does");
            }
            byte b = block[i];
            if (b == '\n') {
                break;
            }
            if (b == '\\') {
                if (i + 1 >= SIZE) {
                    throw new IllegalArgumentException("The value of " + name + " ends in an escape");
                }
                b = block[++i];
            }
            if (b == 0) {
                throw new IllegalArgumentException("The value of " + name + " holds a NUL byte");
            }
            value.write(b);
            i++;
        }
        // Values are bytes to GRUB; UTF-8 is how grub-editenv's users write them.
        variables.putIfAbsent(name, value.toString(StandardCharsets.UTF_8));
        return i + 1;
    }

    /** The 1024 bytes, variables in order, then {@code #} to the end. */
    public byte[] render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(SIZE);
        out.writeBytes(HEADER_BYTES);
        variables.forEach((name, value) -> {
            out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
            out.write('=');
            out.writeBytes(value.replace("\\", "\\\\").getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        });
        if (out.size() > SIZE) {
            throw new IllegalArgumentException("The variables need " + out.size() + " bytes; a GRUB environment block has "
                    + SIZE + " (GRUB cannot grow it)");
        }
        byte[] block = Arrays.copyOf(out.toByteArray(), SIZE);
        Arrays.fill(block, out.size(), SIZE, (byte) '#');
        return block;
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /** A copy with this variable set (added at the end if new, in place otherwise). */
    public GrubEnvironmentBlock with(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(variables);
        copy.put(name, value);
        return new GrubEnvironmentBlock(copy);
    }

    /**
     * Names as GRUB's script can use them after {@code load_env}: letters, digits and underscores,
     * not starting with a digit. GRUB itself stores any name without '=' or newline, but no other
     * name could be read back by a first stage.
     */
    private static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("Not a GRUB variable name: " + (name == null ? "null" : "'" + name + "'"));
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
