package dev.twoliter.engine.closure;

import dev.twoliter.engine.Syntax;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code [epoch:]version[-release]} as a dependency carries it. rpm splits the text the same way
 * (digits before a colon are the epoch, the release follows the last dash); the characters allowed
 * are those rpmbuild allows in a dependency's version, with one colon and one dash at most, as
 * rpmbuild insists by default.
 *
 * @param text the EVR as written, for messages and for comparing texts
 * @param epoch 0 if none is given: rpm compares a missing epoch as 0
 * @param release "" if none is given
 */
public record Evr(String text, long epoch, String version, String release) {
    static final int MAX_LENGTH = 1024;
    private static final Pattern EVR = Pattern.compile(
            "(?:([0-9]{0,18}):)?([A-Za-z0-9._+%{}~^]+)(?:-([A-Za-z0-9._+%{}~^]+))?");

    public static Evr parse(String text) throws DependencySyntaxException {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new DependencySyntaxException("the version " + Syntax.show(text) + " is empty or longer than "
                    + MAX_LENGTH + " characters");
        }
        Matcher m = EVR.matcher(text);
        if (!m.matches()) {
            throw new DependencySyntaxException("the version " + Syntax.show(text) + " is not [epoch:]version[-release]"
                    + " with a numeric epoch of at most 18 digits and a version and release of letters, digits and"
                    + " ._+~^%{}");
        }
        String epoch = m.group(1);
        return new Evr(text, epoch == null || epoch.isEmpty() ? 0 : Long.parseLong(epoch), m.group(2),
                m.group(3) == null ? "" : m.group(3));
    }

    public boolean hasRelease() {
        return !release.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}
