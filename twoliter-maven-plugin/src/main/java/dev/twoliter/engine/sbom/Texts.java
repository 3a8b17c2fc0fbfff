package dev.twoliter.engine.sbom;

/** Checks and shapes of the texts the SBOM writers put into identifiers and fields. */
final class Texts {
    private Texts() {}

    /**
     * True if the text has at most {@code maxLength} characters and is well-formed UTF-16. Control
     * characters are allowed: JSON escapes them; half a surrogate pair cannot be written as UTF-8 at
     * all (Java would silently turn it into '?').
     */
    static boolean isFreeText(String value, int maxLength) {
        if (value == null || value.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The text as one line: control characters, line separators and Unicode spaces (no-break ones
     * too) become spaces, runs of spaces one, none at the ends.
     */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || Character.isWhitespace(c) || Character.isSpaceChar(c) ? ' ' : c));
        return out.toString().strip().replaceAll(" {2,}", " ");
    }

    /**
     * Reduces a text to the characters SPDX allows in identifiers ({@code A-Z a-z 0-9 . -}): every
     * run of other characters becomes one '-', leading and trailing dashes go, and the result is at
     * most {@code maxLength} long. Different texts can reduce to the same result; callers that need
     * unique ids pass the result through an {@link IdAllocator}.
     */
    static String idString(String text, int maxLength) {
        StringBuilder out = new StringBuilder();
        boolean dash = false;
        for (int i = 0; i < text.length() && out.length() < maxLength; i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.') {
                out.append(c);
                dash = false;
            } else if (!dash && out.length() > 0) {
                out.append('-');
                dash = true;
            }
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == '-') {
            end--;
        }
        return out.substring(0, end);
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters, byte by byte of UTF-8. */
    static String percentEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
