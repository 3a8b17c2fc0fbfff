package dev.twoliter.engine.closure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a {@link ClosureCheck} found: the requirements nothing meets, those met by an exception
 * instead, and exceptions that nothing needed.
 *
 * @param subject the checked kit or variant as messages name it ({@code kit com.example:os-kit})
 * @param dependencies where the kit dependencies' packages came from, in order
 * @param base where the declared base came from, in order
 */
public record ClosureReport(ClosureScope scope, String subject, List<String> dependencies, List<String> base,
        List<Unmet> unmet, List<Excused> excused, List<ExceptedRequirement> unusedExceptions) {
    /** Unmet requirements a message lists one by one; the rest are counted. */
    public static final int MAX_LISTED = 25;
    private static final int MAX_SUGGESTED = 5;
    private static final int MAX_ORIGINS = 10;

    /** A requirement of a package that nothing meets, and the packages elsewhere that would. */
    public record Unmet(String packageNevra, String requirement, List<Suggestion> suggestions) {
        public Unmet {
            suggestions = List.copyOf(suggestions);
        }
    }

    /** A package of another known kit ({@code origin}) that would meet an unmet requirement. */
    public record Suggestion(String origin, String packageNevra) {}

    /** An unmet requirement declared as an exception, with the declaration's reason. */
    public record Excused(String packageNevra, String requirement, String reason) {}

    public ClosureReport {
        dependencies = List.copyOf(dependencies);
        base = List.copyOf(base);
        unmet = List.copyOf(unmet);
        excused = List.copyOf(excused);
        unusedExceptions = List.copyOf(unusedExceptions);
    }

    /** True if every requirement is met or excused. */
    public boolean isClosed() {
        return unmet.isEmpty();
    }

    /**
     * The failure message: each unmet requirement (at most {@value #MAX_LISTED}, the rest counted)
     * with the package requiring it, the kits that would meet it, and what to do.
     */
    public String describe() {
        if (unmet.isEmpty()) {
            return subject + ": every requirement of " + scope.own + " is met.";
        }
        String sources = scope.own + ", " + scope.dependencies + " (" + list(dependencies) + ") nor the declared base ("
                + list(base) + ")";
        if (unmet.size() == 1) {
            Unmet u = unmet.get(0);
            return subject + ": package " + u.packageNevra() + " requires " + u.requirement() + ", which neither "
                    + sources + " provide; " + remedy(u) + ", or declare the requirement as an exception.";
        }
        StringBuilder out = new StringBuilder(subject + ": " + unmet.size() + " requirements are met neither by "
                + sources + ":");
        for (Unmet u : unmet.subList(0, Math.min(MAX_LISTED, unmet.size()))) {
            out.append("\n  - package ").append(u.packageNevra()).append(" requires ").append(u.requirement())
                    .append("; ").append(remedy(u));
        }
        if (unmet.size() > MAX_LISTED) {
            out.append("\n  ... and ").append(unmet.size() - MAX_LISTED).append(" more unmet requirements.");
        }
        return out.append("\nDeclare a requirement as an exception if it is meant to stay unmet.").toString();
    }

    /** A warning naming the exceptions nothing needed, or "" if every exception was needed. */
    public String describeUnusedExceptions() {
        if (unusedExceptions.isEmpty()) {
            return "";
        }
        String texts = unusedExceptions.stream().map(e -> e.text() + " (" + e.reason() + ")")
                .collect(Collectors.joining(", "));
        return subject + ": " + (unusedExceptions.size() == 1 ? "the exception for " : "the exceptions for ") + texts
                + (unusedExceptions.size() == 1 ? " is" : " are") + " not needed: no package of " + scope.own
                + " has such a requirement unmet. Remove " + (unusedExceptions.size() == 1 ? "it" : "them")
                + ", so that exceptions mark only what is really missing.";
    }

    private String remedy(Unmet u) {
        if (u.suggestions().isEmpty()) {
            return "no other known kit provides it either: " + scope.addAProvider;
        }
        Map<String, List<String>> byOrigin = new LinkedHashMap<>();
        for (Suggestion s : u.suggestions()) {
            byOrigin.computeIfAbsent(s.origin(), k -> new ArrayList<>()).add(s.packageNevra());
        }
        List<String> parts = new ArrayList<>();
        byOrigin.forEach((origin, packages) -> parts.add(origin + " has " + list(packages, MAX_SUGGESTED)));
        boolean onePackage = u.suggestions().size() == 1;
        return String.join("; ", parts.subList(0, Math.min(parts.size(), MAX_SUGGESTED)))
                + (parts.size() > MAX_SUGGESTED ? "; and " + (parts.size() - MAX_SUGGESTED) + " more kits" : "")
                + (onePackage ? ", which provides it: " : ", which provide it: ")
                + (byOrigin.size() == 1 ? scope.addTheKit : scope.addOneOfTheKits);
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "none" : list(items, MAX_ORIGINS);
    }

    private static String list(List<String> items, int max) {
        String shown = String.join(", ", items.subList(0, Math.min(max, items.size())));
        return items.size() > max ? shown + " and " + (items.size() - max) + " more" : shown;
    }
}
