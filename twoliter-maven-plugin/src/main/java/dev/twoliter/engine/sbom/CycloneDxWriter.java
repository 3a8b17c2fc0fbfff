package dev.twoliter.engine.sbom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Ancestors;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.OrganizationalEntity;
import org.cyclonedx.model.Pedigree;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.license.Expression;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * Writes an SBOM as a CycloneDX 1.6 JSON document with cyclonedx-core-java's model and generator.
 *
 * <p>The kit or variant is {@code metadata.component}: an operating system for a variant, a library
 * for a kit (a set of packages other builds use). Each RPM is a library component; the source
 * archives it was built from are its {@code pedigree.ancestors}, as file components with their
 * SHA-512 (ancestors are what a component derives from, and unlike external references they need no
 * URL). The subject depends on every RPM in {@code dependencies}; the RPMs' own dependencies are
 * not known here and so not listed.
 *
 * <p>The documents a variant publishes beside its images also list its update images, as file
 * components nested in {@code metadata.component}: the spec's assembly, components "included in the
 * parent component", which is what they are to the release (the operating system is delivered as
 * these files), while {@code dependencies} stay what the system needs. Each has its file name, the
 * release's version, its SHA-256, and what it is, its target name and stored path as properties.
 *
 * <p>The library prints with the platform's line separator and its own spacing, so its output is
 * parsed back and printed by {@link JsonText}, like the SPDX document. Its generator also trims
 * text values and turns runs of whitespace (newlines too) into one space.
 */
final class CycloneDxWriter {
    static final Version VERSION = Version.VERSION_16;
    static final String KIT_PROPERTY = "twoliter:kit";
    static final String RPM_FILE_PROPERTY = "twoliter:rpm-file";
    static final String KIND_PROPERTY = "twoliter:kind";
    static final String ARCH_PROPERTY = "twoliter:arch";
    static final String UPDATE_IMAGE_PROPERTY = "twoliter:update-image";
    static final String UPDATE_TARGET_PROPERTY = "twoliter:update-target";
    static final String STORED_AS_PROPERTY = "twoliter:stored-as";
    /** On a package taken as its vendor shipped it, and on the RPM file it was taken from. */
    static final String PREBUILT_PROPERTY = "twoliter:prebuilt";

    private CycloneDxWriter() {}

    static byte[] render(SbomInput input) {
        Bom bom = bom(input);
        UUID serial = NameBasedUuid.ofContent("cyclonedx-1.6", JsonText.sha256(generate(bom)));
        bom.setSerialNumber("urn:uuid:" + serial);
        return JsonText.render(generate(bom));
    }

    private static JsonNode generate(Bom bom) {
        try {
            return JsonText.MAPPER.readTree(BomGeneratorFactory.createJson(VERSION, bom).toJsonString(false));
        } catch (GeneratorException | JsonProcessingException e) {
            // Every value was checked before it went into the model.
            throw new IllegalStateException("cyclonedx-core-java cannot print the BOM", e);
        }
    }

    private static Bom bom(SbomInput input) {
        SbomSubject subject = input.subject();
        Bom bom = new Bom();
        bom.setVersion(1);

        Metadata metadata = new Metadata();
        // The model's default is the clock's time; the build's time keeps the output reproducible.
        metadata.setTimestamp(Date.from(subject.timestamp()));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName(subject.toolName());
        tool.setVersion(subject.toolVersion());
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        metadata.setToolChoice(tools);
        Component main = subjectComponent(subject);
        metadata.setComponent(main);
        bom.setMetadata(metadata);

        IdAllocator refs = new IdAllocator();
        refs.reserve(main.getBomRef());
        List<Component> components = new ArrayList<>();
        List<Dependency> dependsOn = new ArrayList<>();
        for (SbomPackage p : input.packages()) {
            Component c = rpmComponent(p, refs);
            components.add(c);
            dependsOn.add(new Dependency(c.getBomRef()));
        }
        bom.setComponents(components);
        if (!input.updateImages().isEmpty()) {
            main.setComponents(input.updateImages().stream().map(image -> updateImageComponent(subject, image, refs))
                    .toList());
        }
        // Not addDependency: it searches the list for each one added; the refs are unique already.
        Dependency root = new Dependency(main.getBomRef());
        root.setDependencies(dependsOn);
        bom.setDependencies(new ArrayList<>(List.of(root)));
        return bom;
    }

    private static Component subjectComponent(SbomSubject s) {
        Component c = new Component();
        c.setType(s.kind() == SbomSubject.Kind.KIT ? Component.Type.LIBRARY : Component.Type.OPERATING_SYSTEM);
        String purl = Purls.maven(s).canonicalize();
        c.setBomRef(purl);
        c.setSupplier(organization(s.groupId()));
        c.setGroup(s.groupId());
        c.setName(s.artifactId());
        c.setVersion(s.version());
        c.setPurl(purl);
        c.setProperties(List.of(new Property(KIND_PROPERTY, s.kind().name().toLowerCase(Locale.ROOT)),
                new Property(ARCH_PROPERTY, s.arch())));
        return c;
    }

    private static Component rpmComponent(SbomPackage p, IdAllocator refs) {
        Component c = new Component();
        c.setType(Component.Type.LIBRARY);
        String purl = Purls.rpm(p).canonicalize();
        // The purl names the package; two kits may supply the same one, so the ref may need a suffix.
        c.setBomRef(refs.allocate(purl));
        c.setSupplier(organization(p.supplier()));
        c.setName(p.name());
        c.setVersion(p.evr());
        p.summary().ifPresent(c::setDescription);
        c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, p.sha256())));
        license(p.license()).ifPresent(c::setLicenses);
        c.setPurl(purl);
        SbomUrls.usable(p.url()).ifPresent(url -> c.setExternalReferences(List.of(reference(
                ExternalReference.Type.WEBSITE, url))));
        List<Property> properties = new ArrayList<>();
        p.kit().ifPresent(kit -> properties.add(new Property(KIT_PROPERTY, kit)));
        properties.add(new Property(RPM_FILE_PROPERTY, p.rpmFileName()));
        if (p.prebuilt()) {
            properties.add(new Property(PREBUILT_PROPERTY, "true"));
        }
        c.setProperties(properties);
        if (!p.sources().isEmpty()) {
            Ancestors ancestors = new Ancestors();
            ancestors.setComponents(p.sources().stream().map(CycloneDxWriter::sourceComponent).toList());
            Pedigree pedigree = new Pedigree();
            pedigree.setAncestors(ancestors);
            c.setPedigree(pedigree);
        }
        return c;
    }

    private static Component updateImageComponent(SbomSubject s, SbomUpdateImage image, IdAllocator refs) {
        Component c = new Component();
        c.setType(Component.Type.FILE);
        c.setBomRef(refs.allocate("update-image:" + image.image()));
        c.setName(image.fileName());
        c.setVersion(s.version());
        c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, image.sha256())));
        c.setProperties(List.of(new Property(UPDATE_IMAGE_PROPERTY, image.image()),
                new Property(UPDATE_TARGET_PROPERTY, image.target()), new Property(STORED_AS_PROPERTY, image.storedAs())));
        return c;
    }

    private static Component sourceComponent(SbomPackage.SourceArchive s) {
        Component c = new Component();
        c.setType(Component.Type.FILE);
        c.setName(s.fileName());
        c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_512, s.sha512())));
        // A vendored Go module or crate: a library, with the name and version its package URL gives.
        s.purl().ifPresent(purl -> {
            c.setType(Component.Type.LIBRARY);
            c.setPurl(purl);
            try {
                com.github.packageurl.PackageURL parsed = new com.github.packageurl.PackageURL(purl);
                c.setName(parsed.getNamespace() == null ? parsed.getName()
                        : parsed.getNamespace() + "/" + parsed.getName());
                c.setVersion(parsed.getVersion());
            } catch (com.github.packageurl.MalformedPackageURLException e) {
                // Only the plugin writes purls into sources lists; a malformed one keeps the file name.
            }
        });
        SbomUrls.usable(s.url()).ifPresent(url -> c.setExternalReferences(List.of(reference(
                s.prebuilt() ? ExternalReference.Type.DISTRIBUTION : ExternalReference.Type.SOURCE_DISTRIBUTION, url))));
        if (s.prebuilt()) {
            c.setProperties(List.of(new Property(PREBUILT_PROPERTY, "true")));
        }
        return c;
    }

    /**
     * A listed license id alone becomes {@code license.id}, which the schema checks against the
     * list; any other valid expression becomes {@code expression}; a text that is no expression
     * becomes {@code license.name}, as written; no text, no license.
     */
    static Optional<LicenseChoice> license(String text) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        LicenseChoice choice = new LicenseChoice();
        Optional<LicenseExpression> expression = LicenseExpression.parse(text);
        if (expression.isPresent() && !expression.get().singleLicense()) {
            choice.setExpression(new Expression(expression.get().text()));
        } else {
            License license = new License();
            if (expression.isPresent()) {
                license.setId(expression.get().text());
            } else {
                license.setName(text);
            }
            choice.addLicense(license);
        }
        return Optional.of(choice);
    }

    private static OrganizationalEntity organization(String name) {
        OrganizationalEntity o = new OrganizationalEntity();
        o.setName(name);
        return o;
    }

    private static ExternalReference reference(ExternalReference.Type type, String url) {
        ExternalReference r = new ExternalReference();
        r.setType(type);
        r.setUrl(url);
        return r;
    }
}
