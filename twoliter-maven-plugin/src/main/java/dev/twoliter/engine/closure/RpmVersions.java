package dev.twoliter.engine.closure;

/**
 * RPM's ordering of versions and its test of whether two version ranges meet, as rpm 4.x does them
 * (rpmvercmp, rpmverOverlap): a kit is refused or accepted on these answers, so they must be rpm's
 * and dnf's, not an approximation.
 */
public final class RpmVersions {
    private RpmVersions() {}

    /**
     * Compares two version (or release) strings segment by segment: runs of ASCII digits compare as
     * numbers (leading zeros ignored), runs of ASCII letters compare as text, a number is newer than
     * letters, and any other character only separates. {@code ~} sorts before everything, the end of
     * the string included (1.0~rc1 &lt; 1.0); {@code ^} sorts after the end but before any further
     * segment (1.0 &lt; 1.0^git1 &lt; 1.0.1).
     *
     * @return a negative number, zero or a positive number as {@code a} is older than, equal to or
     *     newer than {@code b}
     */
    public static int compare(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            i = skipSeparators(a, i);
            j = skipSeparators(b, j);
            char x = charAt(a, i);
            char y = charAt(b, j);
            if (x == '~' || y == '~') {
                if (x != '~') {
                    return 1;
                }
                if (y != '~') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            // '^' is like '~' except that a version which has ended is older, not newer.
            if (x == '^' || y == '^') {
                if (x == 0) {
                    return -1;
                }
                if (y == 0) {
                    return 1;
                }
                if (x != '^') {
                    return 1;
                }
                if (y != '^') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (x == 0 || y == 0) {
                break;
            }
            boolean numeric = isDigit(x);
            int endA = numeric ? endOfDigits(a, i) : endOfLetters(a, i);
            int endB = numeric ? endOfDigits(b, j) : endOfLetters(b, j);
            if (endB == j) {
                // The segments differ in kind: digits on one side, letters on the other.
                return numeric ? 1 : -1;
            }
            int order = numeric ? compareNumbers(a.substring(i, endA), b.substring(j, endB))
                    : a.substring(i, endA).compareTo(b.substring(j, endB));
            if (order != 0) {
                return Integer.signum(order);
            }
            i = endA;
            j = endB;
        }
        boolean aEnded = i >= a.length();
        boolean bEnded = j >= b.length();
        if (aEnded && bEnded) {
            return 0;
        }
        return aEnded ? -1 : 1;
    }

    /**
     * Compares two EVRs the way rpm compares a requirement with a provide: a missing epoch is 0, and
     * releases are compared only when both sides have one (so {@code 1.0} equals {@code 1.0-3}).
     */
    public static int compare(Evr a, Evr b) {
        int order = Long.compare(a.epoch(), b.epoch());
        if (order == 0) {
            order = compare(a.version(), b.version());
        }
        if (order == 0 && a.hasRelease() && b.hasRelease()) {
            order = compare(a.release(), b.release());
        }
        return Integer.signum(order);
    }

    /**
     * Whether some EVR lies in both ranges {@code (relationA evrA)} and {@code (relationB evrB)}, as
     * rpm's rpmverOverlap decides. Where one side has no release and its relation includes equality,
     * the ranges meet whenever epoch and version are equal: {@code foo = 1.0} is met by {@code foo =
     * 1.0-3}, and so is {@code foo >= 1.0}, but {@code foo > 1.0} is not.
     */
    public static boolean rangesOverlap(Relation relationA, Evr evrA, Relation relationB, Evr evrB) {
        if (relationA == Relation.ANY || relationB == Relation.ANY) {
            return true;
        }
        int order = Long.compare(evrA.epoch(), evrB.epoch());
        if (order == 0) {
            order = compare(evrA.version(), evrB.version());
            if (order == 0) {
                if (evrA.hasRelease() && evrB.hasRelease()) {
                    order = compare(evrA.release(), evrB.release());
                } else if (evrA.hasRelease() && relationB.includesEqual()
                        || evrB.hasRelease() && relationA.includesEqual()) {
                    return true;
                }
            }
        }
        if (order < 0) {
            return relationA.includesGreater() || relationB.includesLess();
        }
        if (order > 0) {
            return relationA.includesLess() || relationB.includesGreater();
        }
        return relationA.includesEqual() && relationB.includesEqual()
                || relationA.includesLess() && relationB.includesLess()
                || relationA.includesGreater() && relationB.includesGreater();
    }

    private static char charAt(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static int skipSeparators(String s, int i) {
        while (i < s.length() && !isAsciiLetterOrDigit(s.charAt(i)) && s.charAt(i) != '~' && s.charAt(i) != '^') {
            i++;
        }
        return i;
    }

    private static int endOfDigits(String s, int i) {
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int endOfLetters(String s, int i) {
        while (i < s.length() && isLetter(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Digit runs of any length: longer (without leading zeros) is larger, else digit by digit. */
    private static int compareNumbers(String a, String b) {
        String x = stripZeros(a);
        String y = stripZeros(b);
        if (x.length() != y.length()) {
            return Integer.compare(x.length(), y.length());
        }
        return x.compareTo(y);
    }

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    // rpm's risdigit/risalpha: ASCII only, whatever the locale.
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isDigit(c) || isLetter(c);
    }
}
