package dev.twoliter.engine.vendor;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One module version that {@code go.sum} pins.
 *
 * @param path the module path, as in {@code go.mod}
 * @param version its semantic version ({@code v1.2.3}, pseudo-versions and {@code +incompatible} included)
 * @param zipHash the {@code h1:} hash of the module's files, or null when go.sum pins only its go.mod
 * @param modHash the {@code h1:} hash of its go.mod, or null when go.sum does not list it
 */
public record GoModule(String path, String version, String zipHash, String modHash) {
    /** Letters, digits and {@code - . _ ~} in slash-separated elements, as Go's module paths allow. */
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*");
    private static final Pattern VERSION = Pattern.compile("v(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
            + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
    static final int MAX_PATH_LENGTH = 512;
    static final int MAX_VERSION_LENGTH = 128;

    /** A module path Go would accept: no empty, {@code .} or {@code ..} elements, at most 512 characters. */
    public static boolean isPath(String path) {
        return path != null && path.length() <= MAX_PATH_LENGTH && PATH.matcher(path).matches()
                && !path.contains("/.") && !path.endsWith(".");
    }

    public static boolean isVersion(String version) {
        return version != null && version.length() <= MAX_VERSION_LENGTH && VERSION.matcher(version).matches();
    }

    /** {@code name@version}, as Go and its module zips name a module version. */
    public String id() {
        return path + "@" + version;
    }

    /** The path or version as a module proxy's URLs spell it: each capital letter as {@code !} and its lower case. */
    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c >= 'A' && c <= 'Z') {
                escaped.append('!').append(Character.toLowerCase(c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** Where a module proxy keeps this version's files: {@code <escaped path>/@v/<escaped version>}. */
    public String proxyPath() {
        return escape(path) + "/@v/" + escape(version);
    }
}
