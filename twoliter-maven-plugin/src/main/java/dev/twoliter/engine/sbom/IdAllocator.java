package dev.twoliter.engine.sbom;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Hands out identifiers that are unique within one document. Sanitising names for SPDX ids maps
 * several names to one id ({@code foo_bar} and {@code foo+bar} both become {@code foo-bar}); the
 * second and later get {@code -2}, {@code -3}... in the order they are asked for, which the writers
 * keep fixed by sorting their input. Ids are compared ignoring case, so that no two ids differ in
 * case only: SPDX tools do not agree whether ids are case-sensitive.
 */
final class IdAllocator {
    private final Set<String> taken = new HashSet<>();

    /** Marks an id as used without handing it out (an id a document already has). */
    void reserve(String id) {
        taken.add(id.toLowerCase(Locale.ROOT));
    }

    /** {@code base} if it is free, else {@code base-N} for the smallest free N from 2. */
    String allocate(String base) {
        String candidate = base;
        for (int n = 2; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = base + "-" + n;
        }
        return candidate;
    }
}
