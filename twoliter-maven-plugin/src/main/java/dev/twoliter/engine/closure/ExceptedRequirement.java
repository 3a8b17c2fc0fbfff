package dev.twoliter.engine.closure;

import dev.twoliter.engine.Syntax;
import java.util.Objects;

/**
 * A requirement that may stay unmet, declared on purpose and with a reason (kept in the kit
 * manifest). It matches a package's requirement when both have the same normal form, so {@code
 * foo>=1} would not do where packages say {@code foo >= 1}: the declaration is parsed, and written
 * back the way package headers write it.
 */
public record ExceptedRequirement(Requirement requirement, String reason) {
    static final int MAX_REASON = 1024;

    public ExceptedRequirement {
        Objects.requireNonNull(requirement);
        Objects.requireNonNull(reason);
    }

    /** Reads a declaration; the message names the requirement and what is wrong with it. */
    public static ExceptedRequirement of(String requirement, String reason) throws DependencySyntaxException {
        Requirement parsed;
        try {
            parsed = Requirement.parse(requirement);
        } catch (DependencySyntaxException e) {
            throw new DependencySyntaxException("the exception for " + Syntax.show(requirement)
                    + " does not name a requirement as rpm writes one: " + e.getMessage() + ".");
        }
        if (reason == null || reason.isBlank() || !Syntax.isOneLine(reason, MAX_REASON)) {
            throw new DependencySyntaxException("the exception for " + parsed + " needs a reason: one line of at most "
                    + MAX_REASON + " characters saying why the requirement may stay unmet (it has "
                    + Syntax.show(reason) + ").");
        }
        return new ExceptedRequirement(parsed, reason.strip());
    }

    /** The requirement's normal form, which a package's requirement must equal to be excepted. */
    public String text() {
        return requirement.toString();
    }
}
