package dev.twoliter.engine.closure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which packages of a set provide a capability, found by name instead of by scanning every package. */
final class PackageIndex {
    private record Provide(PackageDeps pkg, Capability capability) {}

    private final Map<String, List<Provide>> byName = new HashMap<>();
    private final Map<String, List<PackageDeps>> byFile = new HashMap<>();

    PackageIndex(Collection<PackageDeps> packages) {
        for (PackageDeps pkg : packages) {
            for (Capability c : pkg.provides()) {
                byName.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(new Provide(pkg, c));
            }
            for (String file : pkg.files()) {
                byFile.computeIfAbsent(file, k -> new ArrayList<>()).add(pkg);
            }
        }
    }

    /**
     * The packages that meet {@code required}: by a provide whose range overlaps it or, for a path,
     * also by shipping that file (rpm looks at files first, then provides). Each package once, in
     * the order they were given.
     */
    List<PackageDeps> whatProvides(Capability required) {
        List<PackageDeps> found = new ArrayList<>();
        if (required.isFile()) {
            for (PackageDeps pkg : byFile.getOrDefault(required.name(), List.of())) {
                addOnce(found, pkg);
            }
        }
        for (Provide p : byName.getOrDefault(required.name(), List.of())) {
            if (p.capability().meets(required)) {
                addOnce(found, p.pkg());
            }
        }
        return found;
    }

    /** Whether one package meets {@code required}, as {@link #whatProvides} would find it. */
    static boolean provides(PackageDeps pkg, Capability required) {
        return required.isFile() && pkg.ships(required.name())
                || pkg.provides().stream().anyMatch(c -> c.meets(required));
    }

    private static void addOnce(List<PackageDeps> found, PackageDeps pkg) {
        if (!found.contains(pkg)) {
            found.add(pkg);
        }
    }
}
