package dev.twoliter.engine.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;

/**
 * Package URLs for what the SBOMs list. RPMs get {@code pkg:rpm/twoliter/NAME@VERSION-RELEASE} with
 * the arch and (when not 0) the epoch as qualifiers, as the purl spec's rpm type says. The namespace
 * is fixed: the purl spec wants the distribution there, and every RPM here belongs to twoliter-built
 * images, whichever kit supplied it (the supplier and the kit property say that). Kits and variants
 * are Maven artifacts and get {@code pkg:maven/GROUP/ARTIFACT@VERSION}.
 */
final class Purls {
    /** The purl namespace of every RPM. */
    static final String RPM_NAMESPACE = "twoliter";

    private Purls() {}

    static PackageURL rpm(SbomPackage p) {
        PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType(PackageURL.StandardTypes.RPM)
                .withNamespace(RPM_NAMESPACE).withName(p.name()).withVersion(p.version() + "-" + p.release())
                .withQualifier("arch", p.arch());
        if (p.epoch() != 0) {
            b.withQualifier("epoch", Long.toString(p.epoch()));
        }
        return build(b);
    }

    static PackageURL maven(SbomSubject s) {
        return build(PackageURLBuilder.aPackageURL().withType(PackageURL.StandardTypes.MAVEN)
                .withNamespace(s.groupId()).withName(s.artifactId()).withVersion(s.version()));
    }

    private static PackageURL build(PackageURLBuilder b) {
        try {
            return b.build();
        } catch (MalformedPackageURLException e) {
            // Names, versions and arches were checked against RPM's and Maven's syntax, which purls accept.
            throw new IllegalStateException("Cannot make a package URL of checked values", e);
        }
    }
}
