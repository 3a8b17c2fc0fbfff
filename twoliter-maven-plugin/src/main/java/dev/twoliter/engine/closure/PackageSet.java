package dev.twoliter.engine.closure;

import dev.twoliter.engine.Syntax;
import java.util.List;

/**
 * Packages that come from one place, and that place as messages name it, for example {@code kit
 * com.example:core-kit:1.0.0} or {@code the variant's base}.
 */
public record PackageSet(String origin, List<PackageDeps> packages) {
    public PackageSet {
        if (!Syntax.isOneLine(origin, 512) || origin.isBlank()) {
            throw new IllegalArgumentException("a package set's origin must be one non-blank line: "
                    + Syntax.show(origin));
        }
        packages = List.copyOf(packages);
    }
}
