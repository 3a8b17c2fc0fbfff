package dev.twoliter.engine.closure;

import dev.twoliter.engine.sdk.PackageFacts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Packages for the closure tests, written as a spec would declare them. */
final class Rpm {
    private final String name;
    private long epoch;
    private String version = "1.0";
    private String arch = "x86_64";
    private final List<String> provides = new ArrayList<>();
    private final List<String> requires = new ArrayList<>();
    private final Set<String> files = new HashSet<>();

    private Rpm(String name) {
        this.name = name;
    }

    static Rpm named(String name) {
        return new Rpm(name);
    }

    Rpm epoch(long value) {
        epoch = value;
        return this;
    }

    Rpm version(String value) {
        version = value;
        return this;
    }

    Rpm noarch() {
        arch = "noarch";
        return this;
    }

    Rpm provides(String... capabilities) {
        provides.addAll(List.of(capabilities));
        return this;
    }

    Rpm requires(String... requirements) {
        requires.addAll(List.of(requirements));
        return this;
    }

    Rpm ships(String... paths) {
        files.addAll(List.of(paths));
        return this;
    }

    PackageDeps build() {
        try {
            List<Capability> p = new ArrayList<>();
            for (String c : provides) {
                p.add(Capability.parse(c));
            }
            List<Requirement> r = new ArrayList<>();
            for (String c : requires) {
                r.add(Requirement.parse(c));
            }
            return PackageDeps.of(new PackageFacts.Nevra(name, epoch, version, "1", arch), p, r, files);
        } catch (DependencySyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
