package dev.twoliter.engine.closure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a requirement is met by a set of installable packages, with rpm's meaning of rich
 * dependencies (lib/depends.cc):
 *
 * <ul>
 *   <li>{@code (a and b)}, {@code (a or b)}: as they read;
 *   <li>{@code (a if b)}: a, or not b; {@code (a if b else c)}: a if b, else c;
 *   <li>{@code (a unless b)}: a and not b; {@code (a unless b else c)}: c if b, else a;
 *   <li>{@code (a with b)}: one package meets both; {@code (a without b)}: one package meets a but
 *       not b. rpm evaluates these on sets of packages, where {@code or} is a union: so does this.
 * </ul>
 *
 * "Not b" means no package of the set meets b: a closure check asks whether dnf could satisfy the
 * requirement from these packages, and b would be there to choose.
 */
final class Fulfilment {
    private final PackageIndex index;
    private final List<PackageDeps> extra;

    /** The packages of {@code index}, and {@code extra} besides (few: they are scanned, not indexed). */
    Fulfilment(PackageIndex index, List<PackageDeps> extra) {
        this.index = index;
        this.extra = List.copyOf(extra);
    }

    boolean isMet(Requirement requirement) {
        if (requirement instanceof Requirement.Single single) {
            // rpmlib(...) names features of the rpm that installs the package, which the SDK's rpm has.
            return single.capability().isRpmlib() || !providers(single.capability()).isEmpty();
        }
        Requirement.Rich rich = (Requirement.Rich) requirement;
        List<Requirement> o = rich.operands();
        return switch (rich.operator()) {
            case AND -> o.stream().allMatch(this::isMet);
            case OR -> o.stream().anyMatch(this::isMet);
            case IF -> rich.hasElse() ? (isMet(o.get(1)) ? isMet(o.get(0)) : isMet(o.get(2)))
                    : isMet(o.get(0)) || !isMet(o.get(1));
            case UNLESS -> rich.hasElse() ? (isMet(o.get(1)) ? isMet(o.get(2)) : isMet(o.get(0)))
                    : isMet(o.get(0)) && !isMet(o.get(1));
            case WITH, WITHOUT -> !packagesMeeting(rich).isEmpty();
        };
    }

    /** rpm's set mode: the packages that meet a requirement made of plain ones, or, with and without. */
    private Set<PackageDeps> packagesMeeting(Requirement requirement) {
        if (requirement instanceof Requirement.Single single) {
            return providers(single.capability());
        }
        Requirement.Rich rich = (Requirement.Rich) requirement;
        Set<PackageDeps> result = packagesMeeting(rich.operands().get(0));
        for (Requirement operand : rich.operands().subList(1, rich.operands().size())) {
            Set<PackageDeps> next = packagesMeeting(operand);
            switch (rich.operator()) {
                case OR -> result.addAll(next);
                case WITH -> result.retainAll(next);
                case WITHOUT -> result.removeAll(next);
                // The parser lets no other operator stand under with or without.
                default -> throw new IllegalStateException("not a set operator: " + rich.operator());
            }
        }
        return result;
    }

    private Set<PackageDeps> providers(Capability capability) {
        Set<PackageDeps> found = new LinkedHashSet<>(index.whatProvides(capability));
        for (PackageDeps pkg : extra) {
            if (PackageIndex.provides(pkg, capability)) {
                found.add(pkg);
            }
        }
        return found;
    }
}
