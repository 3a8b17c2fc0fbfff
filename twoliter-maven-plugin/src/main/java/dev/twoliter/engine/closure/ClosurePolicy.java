package dev.twoliter.engine.closure;

import dev.twoliter.engine.Syntax;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a build does with unmet requirements: fail (the default), only warn, or not check at all. */
public enum ClosurePolicy {
    FAIL, WARN, SKIP;

    /** The policy a setting names, case-insensitively; empty for anything else. */
    public static Optional<ClosurePolicy> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(p -> p.name().equalsIgnoreCase(text.strip())).findFirst();
    }

    /** The accepted values, for messages. */
    public static String choices() {
        return Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    /** The message for a setting that names no policy. */
    public static String refusal(String setting, String value) {
        return setting + " is " + Syntax.show(value) + "; it must be one of " + choices() + ".";
    }
}
