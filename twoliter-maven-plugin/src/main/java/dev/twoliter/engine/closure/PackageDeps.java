package dev.twoliter.engine.closure;

import dev.twoliter.engine.sdk.PackageFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one package offers and needs: its provides (capabilities, perhaps versioned), its requires,
 * and the paths it ships (directories and ghosts included, as rpm and dnf count them for file
 * requirements). Compared by identity in the closure check: two kits may carry equal packages.
 *
 * @param nevra name-[epoch:]version-release.arch, for messages
 */
public record PackageDeps(String nevra, String arch, List<Capability> provides, List<Requirement> requires,
        Set<String> files) {
    public PackageDeps {
        Objects.requireNonNull(nevra);
        Objects.requireNonNull(arch);
        provides = List.copyOf(provides);
        requires = List.copyOf(requires);
        files = Set.copyOf(files);
    }

    /**
     * A package from its header's values. rpm and libsolv both treat a package as providing {@code
     * name = [epoch:]version-release} even when its header does not list it (packages from old or
     * unusual tools), so that provide is added when missing.
     */
    public static PackageDeps of(PackageFacts.Nevra nevra, List<Capability> provides, List<Requirement> requires,
            Set<String> files) throws DependencySyntaxException {
        String evr = (nevra.epoch() == 0 ? "" : nevra.epoch() + ":") + nevra.version() + "-" + nevra.release();
        Capability self = Capability.of(nevra.name(), Relation.EQUAL, evr);
        List<Capability> all = new ArrayList<>(provides);
        if (!all.contains(self)) {
            all.add(self);
        }
        return new PackageDeps(nevra.toString(), nevra.arch(), all, requires, files);
    }

    /** Whether the package ships {@code path}, exactly as written (dnf resolves no symlinks either). */
    public boolean ships(String path) {
        return files.contains(path);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return nevra;
    }
}
