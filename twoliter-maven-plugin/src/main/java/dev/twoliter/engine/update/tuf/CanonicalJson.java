package dev.twoliter.engine.update.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * OLPC canonical JSON, the form TUF signs: no whitespace, object keys in code point order (as
 * Python's {@code sorted()} on str, which securesystemslib and tough use; Java's
 * {@code String.compareTo} would order characters beyond U+FFFF differently), strings escaping
 * only {@code "} and {@code \}, integers only. Anything else is refused, since a signer and a
 * verifier that disagree on the bytes disagree on every signature.
 */
public final class CanonicalJson {
    private CanonicalJson() {}

    public static byte[] encode(JsonNode node) throws TufException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(node, out, "$", false);
        return out.toByteArray();
    }

    /**
     * The same bytes except that control characters in strings are escaped as JSON requires. Canonical
     * JSON is not JSON when a string holds one (an RSA key's PEM has newlines), so files are written
     * this way, like tough and python-tuf do; only signatures are computed over {@link #encode}.
     */
    static byte[] encodeFile(JsonNode node) throws TufException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(node, out, "$", true);
        return out.toByteArray();
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static void write(JsonNode node, ByteArrayOutputStream out, String path, boolean file)
            throws TufException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                names.sort(CanonicalJson::compareCodePoints);
                out.write('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    string(names.get(i), out, path, file);
                    out.write(':');
                    write(node.get(names.get(i)), out, path + "." + names.get(i), file);
                }
                out.write('}');
            }
            case ARRAY -> {
                out.write('[');
                int i = 0;
                for (Iterator<JsonNode> it = node.elements(); it.hasNext(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    write(it.next(), out, path + "[" + i + "]", file);
                }
                out.write(']');
            }
            case STRING -> string(node.textValue(), out, path, file);
            case NUMBER -> {
                if (!node.isIntegralNumber()) {
                    throw new TufException("Canonical JSON has integers only, but " + path + " is the number "
                            + node.asText() + "; TUF metadata cannot carry it.");
                }
                out.writeBytes(node.bigIntegerValue().toString().getBytes(StandardCharsets.US_ASCII));
            }
            case BOOLEAN -> out.writeBytes(String.valueOf(node.booleanValue()).getBytes(StandardCharsets.US_ASCII));
            case NULL -> out.writeBytes("null".getBytes(StandardCharsets.US_ASCII));
            default -> throw new TufException("Canonical JSON cannot encode " + path + " (a " + node.getNodeType()
                    + " node).");
        }
    }

    private static void string(String s, ByteArrayOutputStream out, String path, boolean file)
            throws TufException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // a lone surrogate has no UTF-8 form; the JDK would silently write '?' and change the signed bytes
            if (Character.isHighSurrogate(c) ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(++i))
                    : Character.isLowSurrogate(c)) {
                throw new TufException("Canonical JSON cannot encode " + path + ": it holds a lone UTF-16 surrogate.");
            }
        }
        out.write('"');
        String escaped = s.replace("\\", "\\\\").replace("\"", "\\\"");
        if (file) {
            StringBuilder json = new StringBuilder();
            escaped.chars().forEach(c -> json.append(c < 0x20 ? String.format("\\u%04x", c)
                    : String.valueOf((char) c)));
            escaped = json.toString();
        }
        out.writeBytes(escaped.getBytes(StandardCharsets.UTF_8));
        out.write('"');
    }
}
