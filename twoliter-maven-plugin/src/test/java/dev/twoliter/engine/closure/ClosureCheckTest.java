package dev.twoliter.engine.closure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosureCheckTest {
    private static final String OS_KIT = "kit com.example:os-kit";
    private static final String CORE_KIT = "kit com.example:core-kit:1.0.0";
    private static final String OTHER_KIT = "kit com.example:other-kit:2.0";

    private static final PackageDeps GREET = Rpm.named("greet").requires("libgreet.so.1()(64bit)", "/bin/sh",
            "rpmlib(PayloadIsZstd) <= 5.4.18-1", "rpmlib(CompressedFileNames) <= 3.0.4-1").build();
    private static final PackageDeps LIBGREET = Rpm.named("libgreet").provides("libgreet.so.1()(64bit)").build();
    private static final PackageDeps BASH = Rpm.named("bash").version("5.2").ships("/bin/sh", "/bin/bash").build();

    private static ClosureReport check(List<PackageDeps> own, List<PackageDeps> deps) {
        return check(own, deps, List.of(), List.of());
    }

    private static ClosureReport check(List<PackageDeps> own, List<PackageDeps> deps,
            List<ExceptedRequirement> exceptions, List<PackageSet> elsewhere) {
        return new ClosureCheck(ClosureScope.KIT, new PackageSet(OS_KIT, own), List.of(new PackageSet(CORE_KIT, deps)),
                List.of(), exceptions, elsewhere).run();
    }

    /** Whether a package requiring {@code requirement} is satisfied by the packages {@code available}. */
    private static boolean met(String requirement, PackageDeps... available) {
        PackageDeps app = Rpm.named("app").requires(requirement).build();
        return check(List.of(app), List.of(available)).isClosed();
    }

    @Test
    void anUnmetSonameIsNamedWithThePackageAndWhereItCouldComeFrom() {
        ClosureReport report = check(List.of(GREET), List.of(BASH), List.of(),
                List.of(new PackageSet(OTHER_KIT, List.of(LIBGREET, BASH))));

        assertThat(report.isClosed()).isFalse();
        assertThat(report.unmet()).containsExactly(new ClosureReport.Unmet("greet-1.0-1.x86_64",
                "libgreet.so.1()(64bit)", List.of(new ClosureReport.Suggestion(OTHER_KIT, "libgreet-1.0-1.x86_64"))));
        assertThat(report.describe()).isEqualTo("kit com.example:os-kit: package greet-1.0-1.x86_64 requires"
                + " libgreet.so.1()(64bit), which neither the kit, its kit dependencies (kit com.example:core-kit:1.0.0)"
                + " nor the declared base (none) provide; kit com.example:other-kit:2.0 has libgreet-1.0-1.x86_64, which"
                + " provides it: add that kit as a dependency, or declare the requirement as an exception.");
    }

    @Test
    void theSameRequirementIsMetThroughAKitDependencyTheBaseOrTheKitItself() {
        assertThat(check(List.of(GREET), List.of(BASH, LIBGREET)).isClosed()).isTrue();
        assertThat(check(List.of(GREET, LIBGREET), List.of(BASH)).isClosed()).isTrue();
        ClosureReport viaBase = new ClosureCheck(ClosureScope.KIT, new PackageSet(OS_KIT, List.of(GREET)), List.of(),
                List.of(new PackageSet("the declared base", List.of(BASH, LIBGREET))), List.of(), List.of()).run();
        assertThat(viaBase.isClosed()).isTrue();
        assertThat(viaBase.describe()).isEqualTo("kit com.example:os-kit: every requirement of the kit is met.");
    }

    @Test
    void aPackageMeetsItsOwnRequirementsAndRpmlibIsAlwaysThere() {
        PackageDeps self = Rpm.named("self").provides("libself.so.1()(64bit)", "config(self) = 1.0-1")
                .ships("/usr/libexec/self").requires("libself.so.1()(64bit)", "config(self) = 1.0-1",
                        "/usr/libexec/self", "self = 1.0", "rpmlib(FileDigests) <= 4.6.0-1")
                .build();
        assertThat(check(List.of(self), List.of()).unmet()).isEmpty();
    }

    @Test
    void versionedRequirementsNeedAnOverlappingProvide() {
        PackageDeps bar = Rpm.named("bar").epoch(1).version("2.3").provides("libbar = 2.3").build();
        assertThat(met("bar >= 1:2.3-1", bar)).isTrue();
        assertThat(met("bar >= 1:2.3", bar)).isTrue();
        assertThat(met("bar = 1:2.3", bar)).isTrue();
        assertThat(met("bar < 1:2.4", bar)).isTrue();
        assertThat(met("bar > 1:2.3", bar)).as("equal version, no release on the requirement, no '='").isFalse();
        assertThat(met("bar >= 1:2.4", bar)).as("the wrong version").isFalse();
        assertThat(met("bar >= 2.3", bar)).as("epoch 1 beats a missing epoch").isTrue();
        assertThat(met("bar <= 2.3", bar)).as("epoch mismatch").isFalse();
        assertThat(met("bar >= 2:1.0", bar)).as("epoch mismatch").isFalse();
        assertThat(met("libbar >= 2.0", bar)).isTrue();
        assertThat(met("libbar >= 2.4", bar)).isFalse();
        assertThat(met("libbar = 2.3-5", bar)).as("the provide has no release").isTrue();
        PackageDeps rc = Rpm.named("rc").version("2.0~rc1").build();
        assertThat(met("rc >= 2.0", rc)).as("a tilde sorts before the release").isFalse();
        assertThat(met("rc >= 2.0~beta", rc)).isTrue();
        PackageDeps snap = Rpm.named("snap").version("2.0^20240101git1").build();
        assertThat(met("snap > 2.0", snap)).isTrue();
        assertThat(met("snap < 2.0.1", snap)).isTrue();
    }

    @Test
    void anUnversionedProvideMeetsEveryVersionAsInRpmAndDnf() {
        PackageDeps virtual = Rpm.named("impl").provides("webserver").build();
        assertThat(met("webserver >= 3", virtual)).isTrue();
        assertThat(met("webserver < 1", virtual)).isTrue();
    }

    @Test
    void fileRequirementsAreMetByShippingThePathOrProvidingIt() {
        PackageDeps python = Rpm.named("python3").ships("/usr/bin/python3").build();
        PackageDeps alt = Rpm.named("alt").provides("/usr/bin/python").build();
        assertThat(met("/usr/bin/python3", python)).isTrue();
        assertThat(met("/usr/bin/python", alt)).isTrue();
        assertThat(met("/usr/bin/python", python)).isFalse();
        assertThat(met("/bin/python3", python)).as("paths are matched exactly, as dnf does").isFalse();
        PackageDeps named = Rpm.named("named").provides("usr/bin/python3").build();
        assertThat(met("usr/bin/python3", python)).as("a relative name is no path").isFalse();
        assertThat(met("usr/bin/python3", named)).isTrue();
    }

    @Test
    void richRequirementsFollowRpmsMeaning() {
        PackageDeps a = Rpm.named("a").build();
        PackageDeps b = Rpm.named("b").build();
        PackageDeps c = Rpm.named("c").build();
        PackageDeps ab = Rpm.named("ab").provides("pa", "pb").build();

        assertThat(met("(a or b)", b)).isTrue();
        assertThat(met("(a or b)", c)).isFalse();
        assertThat(met("(a and b)", a, b)).isTrue();
        assertThat(met("(a and b)", a)).isFalse();
        assertThat(met("(a and (b or c))", a, c)).isTrue();
        assertThat(met("(a if b)", c)).as("b is not there, so a is not needed").isTrue();
        assertThat(met("(a if b)", b)).isFalse();
        assertThat(met("(a if b)", a, b)).isTrue();
        assertThat(met("(a if b else c)", c)).isTrue();
        assertThat(met("(a if b else c)", b, c)).isFalse();
        assertThat(met("(a if b else c)", a, b)).isTrue();
        assertThat(met("(a unless b)", a)).isTrue();
        assertThat(met("(a unless b)", a, b)).as("rpm: a and not b").isFalse();
        assertThat(met("(a unless b else c)", b, c)).isTrue();
        assertThat(met("(a unless b else c)", a, b)).isFalse();
        assertThat(met("(a unless b else c)", a)).isTrue();
        assertThat(met("(pa with pb)", ab)).isTrue();
        assertThat(met("(pa with pb)", Rpm.named("pa").build(), Rpm.named("pb").build()))
                .as("with needs one package meeting both").isFalse();
        assertThat(met("(pa without pb)", ab)).isFalse();
        assertThat(met("(pa without pb)", ab, Rpm.named("pa").build())).isTrue();
        assertThat(met("((pa or c) with pb)", ab)).isTrue();
        assertThat(met("((a with b) or (c without a))", c)).isTrue();
        assertThat(met("(a with rpmlib(Foo))", a)).as("rpmlib() picks no package").isFalse();
        assertThat(met("(libgreet.so.1()(64bit) or /usr/bin/greet)", Rpm.named("g").ships("/usr/bin/greet").build()))
                .isTrue();
    }

    @Test
    void aNameEndingInAStarExceptsEveryRequirementStartingWithIt() throws Exception {
        PackageDeps app = Rpm.named("app").requires("libc.so.6()(64bit)", "libc.so.6(GLIBC_2.34)(64bit)",
                "libm.so.6()(64bit)").build();
        ExceptedRequirement libc = ExceptedRequirement.of("libc.so.6*", "the C library comes with the variant's base");
        assertThat(libc.text()).isEqualTo("libc.so.6*");
        ClosureReport report = check(List.of(app), List.of(), List.of(libc), List.of());
        assertThat(report.excused()).extracting(ClosureReport.Excused::requirement)
                .containsExactly("libc.so.6()(64bit)", "libc.so.6(GLIBC_2.34)(64bit)");
        assertThat(report.unmet()).extracting(ClosureReport.Unmet::requirement).containsExactly("libm.so.6()(64bit)");
        assertThat(report.unusedExceptions()).isEmpty();
        assertThatThrownBy(() -> ExceptedRequirement.of("foo >= 1*", "r")).isInstanceOf(DependencySyntaxException.class)
                .hasMessageContaining("only a plain name may end in '*'");
        assertThatThrownBy(() -> ExceptedRequirement.of("(a or b)*", "r")).isInstanceOf(DependencySyntaxException.class);
    }

    @Test
    void exceptionsExcuseUnmetRequirementsAndUnusedOnesAreReported() throws Exception {
        PackageDeps app = Rpm.named("app").requires("libgone.so.2()(64bit)", "libgreet.so.1()(64bit)",
                "(a or b)").build();
        List<ExceptedRequirement> exceptions = List.of(
                ExceptedRequirement.of("libgone.so.2()(64bit)", "dlopen()ed only when present"),
                ExceptedRequirement.of("( a  or  b )", "either comes with the host"),
                ExceptedRequirement.of("libgreet.so.1()(64bit)", "was once missing"),
                ExceptedRequirement.of("libold.so.0", "stale"));

        ClosureReport report = check(List.of(app), List.of(LIBGREET), exceptions, List.of());

        assertThat(report.isClosed()).isTrue();
        assertThat(report.excused()).containsExactly(
                new ClosureReport.Excused("app-1.0-1.x86_64", "libgone.so.2()(64bit)", "dlopen()ed only when present"),
                new ClosureReport.Excused("app-1.0-1.x86_64", "(a or b)", "either comes with the host"));
        assertThat(report.unusedExceptions()).extracting(ExceptedRequirement::text)
                .containsExactly("libgreet.so.1()(64bit)", "libold.so.0");
        assertThat(report.describeUnusedExceptions()).isEqualTo("kit com.example:os-kit: the exceptions for"
                + " libgreet.so.1()(64bit) (was once missing), libold.so.0 (stale) are not needed: no package of the kit"
                + " has such a requirement unmet. Remove them, so that exceptions mark only what is really missing.");

        ClosureReport without = check(List.of(app), List.of(LIBGREET), exceptions.subList(1, 2), List.of());
        assertThat(without.unmet()).extracting(ClosureReport.Unmet::requirement)
                .containsExactly("libgone.so.2()(64bit)");
        assertThat(without.describeUnusedExceptions()).isEmpty();
    }

    @Test
    void exceptionsAreCheckedWhenDeclared() {
        assertThatThrownBy(() -> ExceptedRequirement.of("(a or", "why")).hasMessageStartingWith("the exception for"
                + " '(a or' does not name a requirement as rpm writes one: the requirement '(a or' is malformed");
        assertThatThrownBy(() -> ExceptedRequirement.of("libx.so.1", " ")).hasMessage("the exception for libx.so.1"
                + " needs a reason: one line of at most 1024 characters saying why the requirement may stay unmet (it"
                + " has ' ').");
        assertThatThrownBy(() -> ExceptedRequirement.of("libx.so.1", "a\nb")).hasMessageContaining("needs a reason");
    }

    @Test
    void suggestionsNameEveryKitThatWouldHelpAndPackagesThatOnlyTogetherWould() {
        PackageDeps app = Rpm.named("app").requires("libgreet.so.1()(64bit)", "(pa and pb)", "libnone.so.9").build();
        PackageSet third = new PackageSet("kit com.example:third:3", List.of(
                Rpm.named("libgreet").version("3.0").noarch().provides("libgreet.so.1()(64bit)").build(),
                Rpm.named("pa").build(), Rpm.named("pb").build()));
        ClosureReport report = check(List.of(app), List.of(), List.of(),
                List.of(new PackageSet(OTHER_KIT, List.of(LIBGREET)), third));

        assertThat(report.unmet()).hasSize(3);
        assertThat(report.unmet().get(0).suggestions()).containsExactly(
                new ClosureReport.Suggestion(OTHER_KIT, "libgreet-1.0-1.x86_64"),
                new ClosureReport.Suggestion("kit com.example:third:3", "libgreet-3.0-1.noarch"));
        assertThat(report.unmet().get(1).suggestions()).containsExactly(
                new ClosureReport.Suggestion("kit com.example:third:3", "pa-1.0-1.x86_64"),
                new ClosureReport.Suggestion("kit com.example:third:3", "pb-1.0-1.x86_64"));
        assertThat(report.unmet().get(2).suggestions()).isEmpty();
        assertThat(report.describe()).isEqualTo("""
                kit com.example:os-kit: 3 requirements are met neither by the kit, its kit dependencies\
                 (kit com.example:core-kit:1.0.0) nor the declared base (none):
                  - package app-1.0-1.x86_64 requires libgreet.so.1()(64bit); kit com.example:other-kit:2.0 has\
                 libgreet-1.0-1.x86_64; kit com.example:third:3 has libgreet-3.0-1.noarch, which provide it: add one of\
                 those kits as a dependency
                  - package app-1.0-1.x86_64 requires (pa and pb); kit com.example:third:3 has pa-1.0-1.x86_64,\
                 pb-1.0-1.x86_64, which provide it: add that kit as a dependency
                  - package app-1.0-1.x86_64 requires libnone.so.9; no other known kit provides it either: build a\
                 package that provides it into the kit or one of its kit dependencies
                Declare a requirement as an exception if it is meant to stay unmet.""");
    }

    @Test
    void aSuggestedPackageMustMeetTheVersionToo() {
        PackageDeps app = Rpm.named("app").requires("libgreet >= 2").build();
        ClosureReport report = check(List.of(app), List.of(LIBGREET), List.of(),
                List.of(new PackageSet(OTHER_KIT, List.of(LIBGREET, Rpm.named("libgreet").version("2.1").build()))));
        assertThat(report.unmet()).singleElement().satisfies(u -> assertThat(u.suggestions()).containsExactly(
                new ClosureReport.Suggestion(OTHER_KIT, "libgreet-2.1-1.x86_64")));
    }

    @Test
    void theMessageListsTwentyFiveAndCountsTheRest() {
        List<String> requirements = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requirements.add("libmissing" + i + ".so");
        }
        PackageDeps app = Rpm.named("app").requires(requirements.toArray(String[]::new))
                .requires("libmissing0.so").build();

        ClosureReport report = check(List.of(app), List.of());

        assertThat(report.unmet()).hasSize(40);
        String message = report.describe();
        assertThat(message).startsWith("kit com.example:os-kit: 40 requirements are met neither by the kit");
        assertThat(message.lines().filter(l -> l.startsWith("  - package app-1.0-1.x86_64 requires "))).hasSize(25);
        assertThat(message).contains("requires libmissing24.so;").doesNotContain("requires libmissing25.so")
                .contains("\n  ... and 15 more unmet requirements.\n");
    }

    @Test
    void aVariantIsWordedAsAVariant() {
        PackageDeps app = Rpm.named("app").requires("libgreet.so.1()(64bit)").build();
        ClosureReport report = new ClosureCheck(ClosureScope.VARIANT, new PackageSet("variant com.example:aws-dev",
                List.of(app)), List.of(new PackageSet(CORE_KIT, List.of(BASH))), List.of(), List.of(),
                List.of(new PackageSet(OTHER_KIT, List.of(LIBGREET)))).run();
        assertThat(report.describe()).isEqualTo("variant com.example:aws-dev: package app-1.0-1.x86_64 requires"
                + " libgreet.so.1()(64bit), which neither its own packages, the variant's other packages and kits (kit"
                + " com.example:core-kit:1.0.0) nor the declared base (none) provide; kit com.example:other-kit:2.0 has"
                + " libgreet-1.0-1.x86_64, which provides it: add that kit to the variant, or declare the requirement"
                + " as an exception.");
    }

    @Test
    void packagesWithoutASelfProvideStillProvideTheirName() {
        PackageDeps old = Rpm.named("oldtool").epoch(2).version("0.9").build();
        assertThat(old.provides()).extracting(Capability::toString).containsExactly("oldtool = 2:0.9-1");
        assertThat(met("oldtool >= 2:0.9", old)).isTrue();
        assertThat(met("oldtool >= 0.9", old)).isTrue();
        assertThat(met("oldtool = 0.9", old)).isFalse();
    }
}
