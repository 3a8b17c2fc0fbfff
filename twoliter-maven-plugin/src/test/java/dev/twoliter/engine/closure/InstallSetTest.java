package dev.twoliter.engine.closure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InstallSetTest {
    private static final PackageDeps APP = Rpm.named("app").requires("libapp.so.1()(64bit)", "/bin/sh").build();
    private static final PackageDeps LIBAPP = Rpm.named("libapp").provides("libapp.so.1()(64bit)")
            .requires("(zlib if compression)").build();
    private static final PackageDeps BASH = Rpm.named("bash").ships("/bin/sh").build();
    private static final PackageDeps ZLIB = Rpm.named("zlib").build();
    private static final PackageDeps UNREACHED = Rpm.named("debug-tools").requires("libelf.so.1()(64bit)").build();

    private static List<PackageSet> sets() {
        return List.of(new PackageSet("the variant's own packages", List.of(APP)),
                new PackageSet("kit a:b:1", List.of(LIBAPP, BASH, ZLIB, UNREACHED)));
    }

    @Test
    void followsRequirementsToEveryPossibleProviderAcrossSets() {
        assertThat(InstallSet.of(sets(), List.of("app"))).containsExactlyInAnyOrder(APP, LIBAPP, BASH, ZLIB);
    }

    @Test
    void aPackageNoInstallReachesIsLeftOut() {
        assertThat(InstallSet.of(sets(), List.of("app"))).doesNotContain(UNREACHED);
        assertThat(InstallSet.of(sets(), List.of("debug-tools"))).containsExactly(UNREACHED);
    }

    @Test
    void specsFindPackagesByProvidedCapabilityAndUnknownSpecsAreIgnored() {
        assertThat(InstallSet.of(sets(), List.of("libapp.so.1()(64bit)"))).contains(LIBAPP).doesNotContain(APP);
        assertThat(InstallSet.of(sets(), List.of("no-such-package", "glob*"))).isEmpty();
    }

    @Test
    void anUnreachedPackagesUnmetRequirementDoesNotFailTheVariantCheck() {
        List<PackageSet> sets = sets();
        var reached = InstallSet.of(sets, List.of("app"));
        PackageSet kit = sets.get(1);
        PackageSet installed = new PackageSet(kit.origin(), kit.packages().stream().filter(reached::contains).toList());
        ClosureReport report = new ClosureCheck(ClosureScope.VARIANT, installed, List.of(sets.get(0)), List.of(),
                List.of(), List.of()).run();
        assertThat(report.isClosed()).isTrue();
    }
}
