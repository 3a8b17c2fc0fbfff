package dev.twoliter.engine.update;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release version as update clients compare them: Semantic Versioning 2.0 without build
 * metadata ({@code 1.2.3} or {@code 1.2.3-rc.1}). Bottlerocket's updater orders updates this way,
 * so a version that is not of this form could never be chosen, and is refused when published.
 */
public record UpdateVersion(long major, long minor, long patch, List<String> preRelease)
        implements Comparable<UpdateVersion> {
    private static final Pattern FORM = Pattern.compile(
            "(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");
    private static final Pattern NUMERIC = Pattern.compile("0|[1-9][0-9]{0,17}");

    public UpdateVersion {
        preRelease = List.copyOf(preRelease);
    }

    /** The version in {@code text}, or empty when it is not a version clients can order. */
    public static java.util.Optional<UpdateVersion> parse(String text) {
        if (text == null || text.length() > 128) {
            return java.util.Optional.empty();
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        List<String> pre = new ArrayList<>();
        if (m.group(4) != null) {
            for (String part : m.group(4).split("\\.")) {
                if (part.length() > 1 && part.startsWith("0") && part.chars().allMatch(Character::isDigit)) {
                    return java.util.Optional.empty();
                }
                pre.add(part);
            }
        }
        return java.util.Optional.of(new UpdateVersion(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), pre));
    }

    @Override
    public int compareTo(UpdateVersion other) {
        int c = Long.compare(major, other.major);
        c = c != 0 ? c : Long.compare(minor, other.minor);
        c = c != 0 ? c : Long.compare(patch, other.patch);
        if (c != 0) {
            return c;
        }
        // A release sorts after every pre-release of it.
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), other.preRelease.size()); i++) {
            c = comparePart(preRelease.get(i), other.preRelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    private static int comparePart(String a, String b) {
        boolean na = NUMERIC.matcher(a).matches();
        boolean nb = NUMERIC.matcher(b).matches();
        if (na && nb) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        if (na != nb) {
            return na ? -1 : 1;
        }
        return a.compareTo(b);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease));
    }
}
