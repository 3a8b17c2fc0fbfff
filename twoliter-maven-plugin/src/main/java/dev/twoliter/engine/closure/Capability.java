package dev.twoliter.engine.closure;

import dev.twoliter.engine.Syntax;
import java.util.Objects;

/**
 * A named capability, perhaps bounded by version: one Provides entry, or one plain Requires entry
 * (a leaf of a rich one). rpm's text form is {@code name} or {@code name <op> [epoch:]version[-release]},
 * for example {@code libgreet.so.1()(64bit)}, {@code bar >= 1:2.3-4} or {@code /usr/bin/sh}.
 *
 * @param evr null exactly when {@code relation} is {@link Relation#ANY}
 */
public record Capability(String name, Relation relation, Evr evr) {
    public Capability {
        Objects.requireNonNull(name);
        Objects.requireNonNull(relation);
        if ((relation == Relation.ANY) != (evr == null)) {
            throw new IllegalArgumentException("a capability has a version exactly when it has a relation");
        }
    }

    /** A capability in rpm's text form; rich dependencies are not capabilities (see {@link Requirement}). */
    public static Capability parse(String text) throws DependencySyntaxException {
        if (text == null || !Syntax.isOneLine(text, Requirement.MAX_LENGTH)) {
            throw new DependencySyntaxException("the dependency " + Syntax.show(text) + " is not one line of at most "
                    + Requirement.MAX_LENGTH + " characters");
        }
        if (text.strip().startsWith("(")) {
            throw new DependencySyntaxException("the dependency " + Syntax.show(text) + " starts with '(', as only a"
                    + " rich requirement may; a provide cannot be one");
        }
        String[] words = text.strip().split(" +", -1);
        if (words.length == 1) {
            return of(words[0], Relation.ANY, null);
        }
        if (words.length == 3 && Relation.ofOperator(words[1]) != null) {
            return of(words[0], Relation.ofOperator(words[1]), words[2]);
        }
        throw new DependencySyntaxException("the dependency " + Syntax.show(text) + " is not a name, or a name, one of"
                + " < <= = >= > and a version, separated by spaces");
    }

    /** Checks each part as {@link #parse} would; {@code evr} null for an unversioned capability. */
    static Capability of(String name, Relation relation, String evr) throws DependencySyntaxException {
        checkName(name);
        if (relation == Relation.ANY) {
            return new Capability(name, relation, null);
        }
        if (name.startsWith("/")) {
            // rpmbuild refuses these too ("Versioned file name not permitted").
            throw new DependencySyntaxException("the file dependency " + Syntax.show(name) + " has a version; a file"
                    + " has none");
        }
        return new Capability(name, relation, Evr.parse(evr));
    }

    /**
     * Names are free text to rpm (sonames, perl(Foo::Bar), paths, font(:lang=en)); what it cannot hold
     * is whitespace or a comma, which rpmbuild reads as the end of the name, or a leading '(', which
     * starts a rich dependency.
     */
    static void checkName(String name) throws DependencySyntaxException {
        if (name.isEmpty() || !Syntax.isOneLine(name, Requirement.MAX_LENGTH)
                || name.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || c == ',')) {
            throw new DependencySyntaxException("the dependency name " + Syntax.show(name) + " is empty or holds"
                    + " whitespace, a comma or a control character");
        }
        if (name.startsWith("(")) {
            throw new DependencySyntaxException("the dependency name " + Syntax.show(name) + " starts with '(', which"
                    + " only a rich dependency such as (a or b) may");
        }
    }

    /** A path rather than a capability name: met by a package that ships the file too. */
    public boolean isFile() {
        return name.startsWith("/");
    }

    /** What rpm itself provides ({@code rpmlib(PayloadIsZstd)}): met by the rpm that installs the package. */
    public boolean isRpmlib() {
        return name.startsWith("rpmlib(");
    }

    /**
     * Whether this capability, as a provide, meets {@code required}: the names are equal and the
     * version ranges overlap. An unversioned provide meets every version of a requirement, as in rpm
     * (rpmdsCompare: "if either A or B is an existence test, always overlap") and in libsolv, which
     * dnf uses ("yes, provides all versions"); only Debian's semantics differ.
     */
    public boolean meets(Capability required) {
        return name.equals(required.name) && (relation == Relation.ANY || required.relation == Relation.ANY
                || RpmVersions.rangesOverlap(relation, evr, required.relation, required.evr));
    }

    @Override
    public String toString() {
        return relation == Relation.ANY ? name : name + " " + relation.symbol() + " " + evr;
    }
}
