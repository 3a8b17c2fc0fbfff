package dev.twoliter.engine.closure;

import dev.twoliter.engine.Syntax;
import java.util.Objects;

/**
 * A requirement that may stay unmet, declared on purpose and with a reason (kept in the kit
 * manifest). It matches a package's requirement when both have the same normal form, so {@code
 * foo>=1} would not do where packages say {@code foo >= 1}: the declaration is parsed, and written
 * back the way package headers write it.
 */
public record ExceptedRequirement(Requirement requirement, String reason, boolean prefix) {
    static final int MAX_REASON = 1024;

    public ExceptedRequirement {
        Objects.requireNonNull(requirement);
        Objects.requireNonNull(reason);
    }

    public ExceptedRequirement(Requirement requirement, String reason) {
        this(requirement, reason, false);
    }

    /**
     * Reads a declaration; the message names the requirement and what is wrong with it. A trailing
     * {@code *} after a plain name ({@code libc.so.6*}) excepts every requirement that starts with the
     * name: a library's symbol versions ({@code libc.so.6(GLIBC_2.34)(64bit)}) come and go with
     * each build, and listing them one by one would make the exceptions churn.
     */
    public static ExceptedRequirement of(String requirement, String reason) throws DependencySyntaxException {
        boolean prefix = requirement != null && requirement.endsWith("*") && !requirement.startsWith("(");
        String text = prefix ? requirement.substring(0, requirement.length() - 1) : requirement;
        Requirement parsed;
        try {
            parsed = Requirement.parse(text);
            if (prefix && !(parsed instanceof Requirement.Single single && single.capability().toString().equals(text)
                    && !text.contains(" "))) {
                throw new DependencySyntaxException("only a plain name may end in '*'");
            }
        } catch (DependencySyntaxException e) {
            throw new DependencySyntaxException("the exception for " + Syntax.show(requirement)
                    + " does not name a requirement as rpm writes one: " + e.getMessage() + ".");
        }
        if (reason == null || reason.isBlank() || !Syntax.isOneLine(reason, MAX_REASON)) {
            throw new DependencySyntaxException("the exception for " + parsed + " needs a reason: one line of at most "
                    + MAX_REASON + " characters saying why the requirement may stay unmet (it has "
                    + Syntax.show(reason) + ").");
        }
        return new ExceptedRequirement(parsed, reason.strip(), prefix);
    }

    /** The requirement's normal form, which a package's requirement must equal to be excepted ("*" ends a prefix). */
    public String text() {
        return requirement + (prefix ? "*" : "");
    }

    /** Whether this exception covers a package's requirement, given in its normal form. */
    public boolean covers(String requirementText) {
        return prefix ? requirementText.startsWith(requirement.toString()) : requirementText.equals(text());
    }
}
