package dev.twoliter.engine.closure;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The packages an install of some package specs may bring in: those the specs name (by package name
 * or by a capability they provide), then, repeatedly, every package that could meet a requirement of
 * one already in. It is a superset of what dnf picks (dnf chooses one provider where this takes all),
 * so a requirement unmet in it is not necessarily fatal, but every package dnf could install is in it:
 * nothing that would fail dnf escapes the check, and a kit's package that no install can reach is
 * left alone.
 */
public final class InstallSet {
    private InstallSet() {}

    /** The reachable packages of {@code sets}; specs that match no package are ignored (dnf names them). */
    public static Set<PackageDeps> of(List<PackageSet> sets, List<String> specs) {
        List<PackageDeps> all = new ArrayList<>();
        sets.forEach(s -> all.addAll(s.packages()));
        PackageIndex index = new PackageIndex(all);
        Set<PackageDeps> reached = new LinkedHashSet<>();
        Deque<PackageDeps> todo = new ArrayDeque<>();
        for (String spec : specs) {
            try {
                // Every package provides its own name, so this finds packages by name too.
                todo.addAll(index.whatProvides(Capability.parse(spec)));
            } catch (DependencySyntaxException e) {
                // A glob or another spec form dnf reads: dnf will match it or name it.
            }
        }
        while (!todo.isEmpty()) {
            PackageDeps pkg = todo.poll();
            if (!reached.add(pkg)) {
                continue;
            }
            for (Requirement requirement : pkg.requires()) {
                for (Capability c : requirement.capabilities()) {
                    for (PackageDeps provider : index.whatProvides(c)) {
                        if (!reached.contains(provider)) {
                            todo.add(provider);
                        }
                    }
                }
            }
        }
        return reached;
    }
}
