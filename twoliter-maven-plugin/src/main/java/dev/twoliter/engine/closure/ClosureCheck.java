package dev.twoliter.engine.closure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that every requirement of a kit's (or a variant's) own packages is met by those packages,
 * by the packages of its kit dependencies, or by the declared base, before anything is published or
 * installed. What counts as met is rpm's answer:
 *
 * <ul>
 *   <li>a versioned requirement needs a provide of the same name whose range overlaps it
 *       ({@link RpmVersions#rangesOverlap}); an unversioned provide meets every version, as in rpm and
 *       in the libsolv that dnf uses;
 *   <li>a path ({@code /usr/bin/sh}) is met by a package shipping that exact path, or providing it;
 *   <li>{@code rpmlib(...)} is always met (the rpm doing the install provides it), and so is what a
 *       package provides itself, since it is among its own packages;
 *   <li>{@code config(x)} is an ordinary capability, as in rpm (which sets it apart only when
 *       installing without configuration files);
 *   <li>rich dependencies as {@link Fulfilment} says.
 * </ul>
 *
 * The check does not look at arches: it is meant for one arch's payload at a time (that arch's
 * packages and noarch ones), as kits are built. An unmet requirement that is declared an exception
 * is reported as excused; an exception nothing needed is reported as unused, so stale ones are
 * noticed. For an unmet one, the packages of {@code elsewhere} (known kits that are not
 * dependencies) that would meet it are suggested.
 *
 * @param own the packages whose requirements are checked
 * @param dependencies the packages of the kit dependencies, one set per kit
 * @param base the packages the variant always brings, as declared
 */
public record ClosureCheck(ClosureScope scope, PackageSet own, List<PackageSet> dependencies, List<PackageSet> base,
        List<ExceptedRequirement> exceptions, List<PackageSet> elsewhere) {
    public ClosureCheck {
        dependencies = List.copyOf(dependencies);
        base = List.copyOf(base);
        exceptions = List.copyOf(exceptions);
        elsewhere = List.copyOf(elsewhere);
    }

    public ClosureReport run() {
        List<PackageDeps> available = new ArrayList<>(own.packages());
        dependencies.forEach(s -> available.addAll(s.packages()));
        base.forEach(s -> available.addAll(s.packages()));
        PackageIndex index = new PackageIndex(available);
        Fulfilment fulfilment = new Fulfilment(index, List.of());
        Suggestions suggestions = new Suggestions(index, elsewhere);
        Map<String, ExceptedRequirement> excepted = new LinkedHashMap<>();
        exceptions.forEach(e -> excepted.putIfAbsent(e.text(), e));
        Set<String> used = new HashSet<>();
        List<ClosureReport.Unmet> unmet = new ArrayList<>();
        List<ClosureReport.Excused> excused = new ArrayList<>();
        for (PackageDeps pkg : own.packages()) {
            Set<String> seen = new HashSet<>();
            for (Requirement requirement : pkg.requires()) {
                String text = requirement.toString();
                if (!seen.add(text) || fulfilment.isMet(requirement)) {
                    continue;
                }
                ExceptedRequirement exception = excepted.get(text);
                if (exception == null) {
                    exception = excepted.values().stream().filter(e -> e.covers(text)).findFirst().orElse(null);
                }
                if (exception != null) {
                    used.add(exception.text());
                    excused.add(new ClosureReport.Excused(pkg.nevra(), text, exception.reason()));
                } else {
                    unmet.add(new ClosureReport.Unmet(pkg.nevra(), text, suggestions.of(requirement)));
                }
            }
        }
        List<ExceptedRequirement> unused = excepted.values().stream().filter(e -> !used.contains(e.text())).toList();
        return new ClosureReport(scope, own.origin(), dependencies.stream().map(PackageSet::origin).toList(),
                base.stream().map(PackageSet::origin).toList(), unmet, excused, unused);
    }

    /** Which packages of other known kits would meet an unmet requirement. */
    private static final class Suggestions {
        private final PackageIndex available;
        private final PackageIndex elsewhere;
        private final Map<PackageDeps, String> origins = new IdentityHashMap<>();

        Suggestions(PackageIndex available, List<PackageSet> sets) {
            this.available = available;
            List<PackageDeps> all = new ArrayList<>();
            for (PackageSet set : sets) {
                for (PackageDeps pkg : set.packages()) {
                    origins.putIfAbsent(pkg, set.origin());
                    all.add(pkg);
                }
            }
            this.elsewhere = new PackageIndex(all);
        }

        /**
         * The packages that alone would meet the requirement; failing those (a rich requirement may
         * need two), the packages of one kit that together would. Only packages providing something
         * the requirement names are tried: no other package can change the answer.
         */
        List<ClosureReport.Suggestion> of(Requirement requirement) {
            Map<String, List<PackageDeps>> candidates = new LinkedHashMap<>();
            for (Capability c : requirement.capabilities()) {
                for (PackageDeps pkg : elsewhere.whatProvides(c)) {
                    List<PackageDeps> ofKit = candidates.computeIfAbsent(origins.get(pkg), k -> new ArrayList<>());
                    if (!ofKit.contains(pkg)) {
                        ofKit.add(pkg);
                    }
                }
            }
            List<ClosureReport.Suggestion> alone = new ArrayList<>();
            candidates.forEach((origin, packages) -> packages.stream()
                    .filter(p -> new Fulfilment(available, List.of(p)).isMet(requirement))
                    .forEach(p -> alone.add(new ClosureReport.Suggestion(origin, p.nevra()))));
            if (!alone.isEmpty()) {
                return alone;
            }
            List<ClosureReport.Suggestion> together = new ArrayList<>();
            candidates.forEach((origin, packages) -> {
                if (new Fulfilment(available, packages).isMet(requirement)) {
                    packages.forEach(p -> together.add(new ClosureReport.Suggestion(origin, p.nevra())));
                }
            });
            return together;
        }
    }
}
