package dev.twoliter.engine;

import java.util.regex.Pattern;

/**
 * What a value must look like before it is used as a name, a path component, a digest or a piece of
 * a generated file. Every value that comes from a POM, the command line, a kit manifest, a lock file,
 * a build record or a server goes through one of these checks first; callers word the error, since
 * they know where the value came from.
 */
public final class Syntax {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA512 = Pattern.compile("[0-9a-f]{128}");
    /** Docker's content-addressed image id. */
    private static final Pattern IMAGE_ID = Pattern.compile("sha256:[0-9a-f]{64}");
    /**
     * RPM package names: rpmbuild allows letters, digits and {@code -._+} (macros are expanded by
     * then). A leading dash would read as an option to dnf or rpm, so names start with a letter,
     * digit or underscore.
     */
    private static final Pattern RPM_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]{0,254}");
    /** RPM version and release: rpmbuild allows letters, digits and {@code ._+~^}, never a dash. */
    private static final Pattern RPM_VERSION = Pattern.compile("[A-Za-z0-9_.+~^]{1,255}");
    private static final Pattern RPM_ARCH = Pattern.compile("[A-Za-z0-9_]{1,64}");
    /** Maven's rule for groupId and artifactId. */
    private static final Pattern MAVEN_ID = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
    /** Maven bans these in versions (model validation); they would also break paths. */
    private static final Pattern MAVEN_VERSION = Pattern.compile("[^\\\\/:\"<>|?*\\s\\p{Cntrl}]{1,255}");
    /** An architecture name as kits and the SDK use it. */
    private static final Pattern ARCH = Pattern.compile("[a-z0-9_]{1,32}");
    /**
     * One kernel command-line parameter: a single token with nothing GRUB or a shell would
     * interpret (no quotes, spaces, {@code $ ; & | < > ( ) { } [ ] \ # * ?} or backquotes).
     */
    private static final Pattern KERNEL_PARAMETER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.,:/=+@%~-]{0,1023}");
    /** os-release ID and VARIANT_ID, as its specification defines them. */
    private static final Pattern OS_RELEASE_ID = Pattern.compile("[a-z0-9._-]{1,64}");
    /** A file name without directories, not hidden, not {@code .} or {@code ..}. */
    private static final Pattern PLAIN_FILE_NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9_.+@,=~-]{0,254}");

    private Syntax() {}

    public static boolean isSha256(String value) {
        return value != null && SHA256.matcher(value).matches();
    }

    public static boolean isSha512(String value) {
        return value != null && SHA512.matcher(value).matches();
    }

    public static boolean isImageId(String value) {
        return value != null && IMAGE_ID.matcher(value).matches();
    }

    public static boolean isRpmName(String value) {
        return value != null && RPM_NAME.matcher(value).matches();
    }

    public static boolean isRpmVersion(String value) {
        return value != null && RPM_VERSION.matcher(value).matches();
    }

    public static boolean isRpmArch(String value) {
        return value != null && RPM_ARCH.matcher(value).matches();
    }

    /** RPM epochs are 32-bit signed integers in the header; negative ones do not exist. */
    public static boolean isRpmEpoch(long value) {
        return value >= 0 && value <= Integer.MAX_VALUE;
    }

    /** An environment variable's name as a POSIX shell accepts it, at most 255 characters. */
    public static boolean isEnvironmentName(String value) {
        return value != null && value.length() <= 255 && value.matches("[A-Za-z_][A-Za-z0-9_]*");
    }

    public static boolean isMavenId(String value) {
        return value != null && MAVEN_ID.matcher(value).matches();
    }

    public static boolean isMavenVersion(String value) {
        return value != null && MAVEN_VERSION.matcher(value).matches() && !value.equals(".") && !value.equals("..");
    }

    public static boolean isArch(String value) {
        return value != null && ARCH.matcher(value).matches();
    }

    public static boolean isKernelParameter(String value) {
        return value != null && KERNEL_PARAMETER.matcher(value).matches();
    }

    public static boolean isOsReleaseId(String value) {
        return value != null && OS_RELEASE_ID.matcher(value).matches();
    }

    public static boolean isPlainFileName(String value) {
        return value != null && PLAIN_FILE_NAME.matcher(value).matches();
    }

    /**
     * True if the text is one line of printable characters: no control characters (including tab,
     * newline and DEL), no Unicode line or paragraph separators, and at most {@code maxLength}
     * characters.
     */
    public static boolean isOneLine(String value, int maxLength) {
        if (value == null || value.length() > maxLength) {
            return false;
        }
        return value.codePoints().noneMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || Character.getType(c) == Character.FORMAT && c != 0x200D || Character.getType(c) == Character.SURROGATE);
    }

    /** Shows a value in a message without letting it break the message (control characters escaped). */
    public static String show(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (++shown > 200) {
                out.append("...");
                break;
            }
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
