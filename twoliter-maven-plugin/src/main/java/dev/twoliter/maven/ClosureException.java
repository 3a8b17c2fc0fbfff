package dev.twoliter.maven;

import dev.twoliter.engine.closure.DependencySyntaxException;
import dev.twoliter.engine.closure.ExceptedRequirement;
import dev.twoliter.engine.kit.KitException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code <closureException>}: a requirement a kit's or variant's packages may leave unmet on
 * purpose, written as rpm writes it ({@code libnvidia-ml.so.1()(64bit)}, {@code foo >= 1.2}), with
 * the reason, which the kit manifest records for consumers to read.
 */
public class ClosureException {
    /** Exceptions a module may declare; more means the check is not doing its job. */
    static final int MAX = 1_000;

    /** The requirement, as {@code rpm -qpR} prints it. */
    String requirement;

    /** Why it may stay unmet (one line): who provides it instead. */
    String reason;

    /** The declarations checked and parsed; a bad one fails naming the module and the entry. */
    static List<ExceptedRequirement> parse(List<ClosureException> declared, String module) throws KitException {
        List<ClosureException> all = declared == null ? List.of() : declared;
        if (all.size() > MAX) {
            throw new KitException(module + ": " + all.size() + " closure exceptions are declared, more than the "
                    + MAX + " allowed; declare a base kit instead (a <type>kit</type> dependency with"
                    + " <scope>provided</scope>).");
        }
        List<ExceptedRequirement> parsed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            ClosureException e = all.get(i);
            if (e == null || e.requirement == null || e.requirement.isBlank()) {
                throw new KitException(module + ": <closureException> " + (i + 1) + " has no <requirement>.");
            }
            try {
                ExceptedRequirement requirement = ExceptedRequirement.of(e.requirement.strip(), e.reason);
                if (!seen.add(requirement.text())) {
                    throw new KitException(module + ": the closure exception for " + requirement.text()
                            + " is declared twice; keep one.");
                }
                parsed.add(requirement);
            } catch (DependencySyntaxException ex) {
                throw new KitException(module + ": <closureException> " + (i + 1) + ": " + ex.getMessage());
            }
        }
        return List.copyOf(parsed);
    }
}
