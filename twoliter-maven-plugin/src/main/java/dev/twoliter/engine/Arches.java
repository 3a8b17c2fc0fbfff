package dev.twoliter.engine;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The arches one build produces: those the project lists (by default the arch of the machine the build
 * runs on), narrowed to one when a single arch is asked for. Always in {@link Arch}'s order, so that
 * outputs and logs do not depend on how the list was written.
 *
 * @param all the arches of this build, at least one
 * @param primary the arch goals that handle one arch at a time use (running an image, publishing an
 *     update): the one asked for, else the machine's arch when the build has it, else the first
 * @param declared the arches the project lists (or the one built when it lists none): {@link #all}
 *     before a run is narrowed to one. Outputs are named by it, so that narrowing a run does not
 *     rename them.
 */
public record Arches(List<Arch> all, Arch primary, List<Arch> declared) {
    /** A list longer than this is not a list of arches. */
    private static final int MAX_LIST_CHARS = 256;

    public Arches {
        all = List.copyOf(all);
        declared = List.copyOf(declared);
        if (all.isEmpty() || !all.contains(primary) || !declared.containsAll(all)) {
            throw new IllegalArgumentException("primary arch " + primary + " not among " + all + " or those not among "
                    + declared);
        }
    }

    public Arches(List<Arch> all, Arch primary) {
        this(all, primary, all);
    }

    public static Arches of(Arch arch) {
        return new Arches(List.of(arch), arch);
    }

    /** Whether this run builds more than one arch. */
    public boolean several() {
        return all.size() > 1;
    }

    /** Whether the project lists more than one arch, so that outputs carry the arch in their names. */
    public boolean severalDeclared() {
        return declared.size() > 1;
    }

    /** The first arch of this run, in {@link Arch}'s order: the one whose outputs stand for the module. */
    public Arch first() {
        return all.get(0);
    }

    /**
     * @param declared the project's list (commas or blanks between names), or null/blank for none
     * @param narrowed the one arch asked for, or null/blank for all the declared ones
     * @param declaredSetting how the user names the list, for messages
     */
    public static Arches select(String declared, String narrowed, String declaredSetting) throws TwoliterException {
        return select(declared, narrowed, declaredSetting, Arch.host());
    }

    static Arches select(String declared, String narrowed, String declaredSetting, String host)
            throws TwoliterException {
        boolean hasList = declared != null && !declared.isBlank();
        boolean hasNarrowed = narrowed != null && !narrowed.isBlank();
        Set<Arch> listed = hasList ? parse(declared, declaredSetting) : EnumSet.of(Arch.targetOr(null, host));
        if (hasNarrowed) {
            Arch one = Arch.of(narrowed.strip());
            if (hasList && !listed.contains(one)) {
                throw new TwoliterException("the arch " + one + " is not among the project's arches " + names(listed)
                        + " (" + declaredSetting + "); add it there or ask for one of those");
            }
            return new Arches(List.of(one), one, hasList ? List.copyOf(listed) : List.of(one));
        }
        List<Arch> all = new ArrayList<>(listed);
        Arch primary = all.stream().filter(a -> a.rpmName().equals(host)).findFirst().orElse(all.get(0));
        return new Arches(all, primary);
    }

    private static Set<Arch> parse(String declared, String setting) throws TwoliterException {
        if (declared.length() > MAX_LIST_CHARS) {
            throw new TwoliterException(setting + " is longer than " + MAX_LIST_CHARS + " characters; list arches"
                    + " such as x86_64,aarch64");
        }
        Set<Arch> arches = EnumSet.noneOf(Arch.class);
        for (String name : declared.strip().split("[,\\s]+")) {
            Arch arch;
            try {
                arch = Arch.of(name);
            } catch (TwoliterException e) {
                throw new TwoliterException(setting + " lists " + e.getMessage());
            }
            if (!arches.add(arch)) {
                throw new TwoliterException(setting + " lists " + arch + " twice");
            }
        }
        return arches;
    }

    private static String names(Set<Arch> arches) {
        return arches.stream().map(Arch::rpmName).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return all.stream().map(Arch::rpmName).collect(Collectors.joining(", "));
    }
}
