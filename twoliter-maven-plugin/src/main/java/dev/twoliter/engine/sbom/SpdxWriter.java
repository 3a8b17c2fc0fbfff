package dev.twoliter.engine.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes an SBOM as an SPDX 2.3 JSON document, with Jackson's tree model and {@link JsonText}.
 *
 * <p>Written here rather than with java-spdx-library 2.0 and spdx-jackson-store: that library reaches
 * for the license list on spdx.org unless a JVM-wide system property says otherwise, keeps its model
 * in JVM-wide static registries, and brings some six megabytes of jars (the SPDX 3 model, Gson,
 * jsoup, org.json, YAML and XML Jackson modules) into the plugin, where the document here has a
 * dozen fields per package. Tests hold the output to the official SPDX 2.3 JSON schema.
 *
 * <p>The document has one package for the kit or variant (described by the document, containing
 * every RPM), one per RPM and one per distinct source archive (which the RPMs are generated from).
 * Its namespace ends in a UUID made from the document's bytes (without the namespace), so it
 * changes exactly when the content does.
 *
 * <p>The documents a variant publishes beside its images also have one package per update image,
 * which the variant contains (the release is delivered as these files): its file name and SHA-256,
 * purpose {@code FILE}, and its target name and stored path as external references of category
 * {@code OTHER}. Packages rather than SPDX files, because a file entry must carry a SHA-1, which
 * nothing else records (and which would mean reading every image once more); a package of one file,
 * not analysed, needs only the digest the build manifest and the update repository use.
 */
final class SpdxWriter {
    /** On a package taken as its vendor shipped it rather than built from sources by the project. */
    static final String PREBUILT_COMMENT = "Prebuilt: taken as its vendor shipped it, not built from source here";

    static final String NOASSERTION = "NOASSERTION";
    static final String NAMESPACE_BASE = "https://spdx.org/spdxdocs/twoliter/";
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** Readable part of generated ids; names are at most 255 characters, ids need not be. */
    private static final int MAX_ID_PART = 100;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** External reference types (category OTHER) of an update image: what it is, its target name, its stored path. */
    static final String UPDATE_IMAGE_REF = "twoliter-update-image";
    static final String UPDATE_TARGET_REF = "twoliter-update-target";
    static final String STORED_AS_REF = "twoliter-stored-as";

    private SpdxWriter() {}

    static byte[] render(SbomInput input) {
        ObjectNode document = document(input);
        // The namespace is made from the document without it; setting it keeps the key's place.
        String uuid = NameBasedUuid.ofContent("spdx-2.3", JsonText.sha256(document)).toString();
        document.put("documentNamespace", namespace(input.subject(), uuid));
        return JsonText.render(document);
    }

    static String namespace(SbomSubject s, String uuid) {
        return NAMESPACE_BASE + s.kind().name().toLowerCase(Locale.ROOT) + "/" + Texts.percentEncode(s.groupId()) + "/"
                + Texts.percentEncode(s.artifactId()) + "/" + Texts.percentEncode(s.version()) + "/" + s.arch() + "-"
                + uuid;
    }

    private static ObjectNode document(SbomInput input) {
        SbomSubject subject = input.subject();
        IdAllocator ids = new IdAllocator();
        ids.reserve("SPDXRef-DOCUMENT");
        LicenseIds licenses = LicenseIds.of(input.packages());

        ObjectNode root = NODES.objectNode();
        root.put("spdxVersion", "SPDX-2.3");
        root.put("dataLicense", "CC0-1.0");
        root.put("SPDXID", "SPDXRef-DOCUMENT");
        root.put("name", subject.kind().name().toLowerCase(Locale.ROOT) + " " + subject.coordinates() + " ("
                + subject.arch() + ")");
        root.put("documentNamespace", "");
        ObjectNode creation = root.putObject("creationInfo");
        creation.put("created", CREATED.format(subject.timestamp().truncatedTo(ChronoUnit.SECONDS)));
        creation.putArray("creators").add("Tool: " + subject.toolName() + "-" + subject.toolVersion());
        creation.put("licenseListVersion", SpdxLicenseList.get().version());

        ArrayNode packages = root.putArray("packages");
        String top = ids.allocate((subject.kind() == SbomSubject.Kind.KIT ? "SPDXRef-Kit-" : "SPDXRef-Variant-")
                + idPart(subject.artifactId()));
        packages.add(subjectPackage(subject, top));

        List<String> rpmIds = new ArrayList<>();
        Map<SbomPackage.SourceArchive, String> sourceIds = new TreeMap<>(SbomInput.SOURCE_ORDER);
        for (SbomPackage p : input.packages()) {
            String id = ids.allocate("SPDXRef-RPM-" + idPart(p.name() + "-" + p.evr() + "." + p.arch()));
            rpmIds.add(id);
            packages.add(rpmPackage(p, id, licenses));
            p.sources().forEach(s -> sourceIds.put(s, ""));
        }
        // Subpackages of one SRPM share its sources: one package per distinct archive.
        for (Map.Entry<SbomPackage.SourceArchive, String> e : sourceIds.entrySet()) {
            e.setValue(ids.allocate("SPDXRef-Source-" + idPart(e.getKey().fileName())));
            packages.add(sourcePackage(e.getKey(), e.getValue()));
        }

        List<String> updateIds = new ArrayList<>();
        for (SbomUpdateImage image : input.updateImages()) {
            String id = ids.allocate("SPDXRef-UpdateImage-" + idPart(image.image()));
            updateIds.add(id);
            packages.add(updateImagePackage(subject, image, id));
        }

        if (!licenses.extracted().isEmpty()) {
            ArrayNode extracted = root.putArray("hasExtractedLicensingInfos");
            licenses.extracted().values().forEach(extracted::add);
        }
        // In document order: what the document describes, what that contains, where each RPM came from.
        ArrayNode relationships = root.putArray("relationships");
        relationships.add(relationship("SPDXRef-DOCUMENT", "DESCRIBES", top));
        rpmIds.forEach(id -> relationships.add(relationship(top, "CONTAINS", id)));
        updateIds.forEach(id -> relationships.add(relationship(top, "CONTAINS", id)));
        for (int i = 0; i < rpmIds.size(); i++) {
            for (SbomPackage.SourceArchive s : input.packages().get(i).sources()) {
                relationships.add(relationship(rpmIds.get(i), "GENERATED_FROM", sourceIds.get(s)));
            }
        }
        return root;
    }

    private static ObjectNode subjectPackage(SbomSubject s, String id) {
        ObjectNode p = NODES.objectNode();
        p.put("SPDXID", id);
        p.put("name", s.artifactId());
        p.put("versionInfo", s.version());
        p.put("supplier", "Organization: " + s.groupId());
        p.put("downloadLocation", NOASSERTION);
        p.put("filesAnalyzed", false);
        p.put("licenseConcluded", NOASSERTION);
        p.put("licenseDeclared", NOASSERTION);
        p.put("copyrightText", NOASSERTION);
        p.put("comment", (s.kind() == SbomSubject.Kind.KIT ? "Twoliter kit " : "Twoliter variant ") + s.coordinates()
                + " for " + s.arch());
        p.putArray("externalRefs").add(purlRef(Purls.maven(s).canonicalize()));
        // SPDX has no purpose for a set of packages; a kit is used like a library of them.
        p.put("primaryPackagePurpose", s.kind() == SbomSubject.Kind.KIT ? "LIBRARY" : "OPERATING_SYSTEM");
        return p;
    }

    private static ObjectNode rpmPackage(SbomPackage rpm, String id, LicenseIds licenses) {
        ObjectNode p = NODES.objectNode();
        p.put("SPDXID", id);
        p.put("name", rpm.name());
        p.put("versionInfo", rpm.evr());
        p.put("packageFileName", rpm.rpmFileName());
        p.put("supplier", supplier(rpm.supplier()));
        p.put("downloadLocation", NOASSERTION);
        p.put("filesAnalyzed", false);
        p.putArray("checksums").add(checksum("SHA256", rpm.sha256()));
        SbomUrls.usable(rpm.url()).ifPresent(url -> p.put("homepage", url));
        // Nothing was analysed: the concluded license is not asserted, the packager's is declared.
        p.put("licenseConcluded", NOASSERTION);
        p.put("licenseDeclared", licenses.declared(rpm.license()));
        p.put("copyrightText", NOASSERTION);
        rpm.summary().ifPresent(s -> p.put("summary", s));
        List<String> comments = new ArrayList<>();
        rpm.kit().ifPresent(kit -> comments.add("From kit " + kit));
        if (rpm.prebuilt()) {
            comments.add(PREBUILT_COMMENT);
        }
        if (!comments.isEmpty()) {
            p.put("comment", String.join(". ", comments));
        }
        p.putArray("externalRefs").add(purlRef(Purls.rpm(rpm).canonicalize()));
        p.put("primaryPackagePurpose", "INSTALL");
        return p;
    }

    private static ObjectNode sourcePackage(SbomPackage.SourceArchive source, String id) {
        ObjectNode p = NODES.objectNode();
        p.put("SPDXID", id);
        p.put("name", source.fileName());
        p.put("packageFileName", source.fileName());
        p.put("downloadLocation", SbomUrls.usable(source.url()).orElse(NOASSERTION));
        p.put("filesAnalyzed", false);
        p.putArray("checksums").add(checksum("SHA512", source.sha512()));
        p.put("licenseConcluded", NOASSERTION);
        p.put("licenseDeclared", NOASSERTION);
        p.put("copyrightText", NOASSERTION);
        if (source.prebuilt()) {
            p.put("comment", "The prebuilt RPM the package was taken from");
        }
        p.put("primaryPackagePurpose", source.prebuilt() ? "INSTALL" : "SOURCE");
        source.purl().ifPresent(purl -> p.putArray("externalRefs").add(purlRef(purl)));
        return p;
    }

    private static ObjectNode updateImagePackage(SbomSubject s, SbomUpdateImage image, String id) {
        ObjectNode p = NODES.objectNode();
        p.put("SPDXID", id);
        p.put("name", image.fileName());
        p.put("versionInfo", s.version());
        p.put("packageFileName", image.fileName());
        p.put("supplier", "Organization: " + s.groupId());
        p.put("downloadLocation", NOASSERTION);
        p.put("filesAnalyzed", false);
        p.putArray("checksums").add(checksum("SHA256", image.sha256()));
        p.put("licenseConcluded", NOASSERTION);
        p.put("licenseDeclared", NOASSERTION);
        p.put("copyrightText", NOASSERTION);
        p.put("comment", "Update image " + image.image() + " of " + s.coordinates() + " for " + s.arch()
                + ": target " + image.target() + " of an update repository, stored as " + image.storedAs());
        ArrayNode refs = p.putArray("externalRefs");
        refs.add(otherRef(UPDATE_IMAGE_REF, image.image()));
        refs.add(otherRef(UPDATE_TARGET_REF, image.target()));
        refs.add(otherRef(STORED_AS_REF, image.storedAs()));
        p.put("primaryPackagePurpose", "FILE");
        return p;
    }

    private static ObjectNode otherRef(String type, String locator) {
        ObjectNode r = NODES.objectNode();
        r.put("referenceCategory", "OTHER");
        r.put("referenceType", type);
        r.put("referenceLocator", locator);
        return r;
    }

    /**
     * SPDX's agent syntax is {@code Organization: name (email)}: a parenthesis in the name would
     * start an email, so parentheses become brackets. Nothing else in one line of text breaks it.
     */
    static String supplier(String text) {
        String name = Texts.oneLine(text.replace('(', '[').replace(')', ']'));
        return name.isEmpty() ? NOASSERTION : "Organization: " + name;
    }

    private static String idPart(String text) {
        String part = Texts.idString(text, MAX_ID_PART);
        return part.isEmpty() ? "unnamed" : part;
    }

    private static ObjectNode checksum(String algorithm, String value) {
        ObjectNode c = NODES.objectNode();
        c.put("algorithm", algorithm);
        c.put("checksumValue", value);
        return c;
    }

    private static ObjectNode purlRef(String purl) {
        ObjectNode r = NODES.objectNode();
        r.put("referenceCategory", "PACKAGE-MANAGER");
        r.put("referenceType", "purl");
        r.put("referenceLocator", purl);
        return r;
    }

    private static ObjectNode relationship(String from, String type, String to) {
        ObjectNode r = NODES.objectNode();
        r.put("spdxElementId", from);
        r.put("relationshipType", type);
        r.put("relatedSpdxElement", to);
        return r;
    }

    /**
     * What each RPM License text becomes in {@code licenseDeclared}, and the license texts the
     * document must define for the {@code LicenseRef-} ids it uses. A valid expression is written
     * as is (canonical); any other text gets an id of its own, {@code LicenseRef-} and the text
     * reduced to id characters, with the text itself in {@code hasExtractedLicensingInfos}; one id
     * per distinct text. Ids that valid expressions use are taken first, so a made-up id never
     * takes the name of one a packager wrote.
     */
    record LicenseIds(Map<String, String> declared, Map<String, ObjectNode> extracted) {
        private static final Pattern LICENSE_REF = Pattern.compile("LicenseRef-[A-Za-z0-9.-]+");

        static LicenseIds of(List<SbomPackage> packages) {
            TreeSet<String> texts = new TreeSet<>();
            packages.forEach(p -> texts.add(p.license()));
            Map<String, String> declared = new LinkedHashMap<>();
            // SPDX matches license ids ignoring case: LicenseRef-Foo and LicenseRef-foo are one
            // license, defined once and spelled as first seen everywhere.
            Map<String, ObjectNode> extracted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            Map<String, String> spelling = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            IdAllocator ids = new IdAllocator();
            Map<String, LicenseExpression> expressions = new LinkedHashMap<>();
            List<String> others = new ArrayList<>();
            for (String text : texts) {
                Optional<LicenseExpression> expression = text.isBlank() ? Optional.empty()
                        : LicenseExpression.parse(text);
                if (text.isBlank()) {
                    declared.put(text, NOASSERTION);
                } else if (expression.isEmpty()) {
                    others.add(text);
                } else {
                    expressions.put(text, expression.get());
                    for (String ref : expression.get().licenseRefs()) {
                        if (spelling.putIfAbsent(ref, ref) == null) {
                            ids.reserve(ref);
                            extracted.put(ref, extracted(ref, NOASSERTION, null, "Named in the License tag of RPM"
                                    + " packages, which does not carry the license's text."));
                        }
                    }
                }
            }
            expressions.forEach((text, expression) -> declared.put(text, LICENSE_REF.matcher(expression.text())
                    .replaceAll(m -> Matcher.quoteReplacement(spelling.get(m.group())))));
            for (String text : others) {
                String id = ids.allocate("LicenseRef-" + idPart(text));
                declared.put(text, id);
                extracted.put(id, extracted(id, text, Texts.oneLine(text), "The License tag of RPM"
                        + " packages, as the packager wrote it; it is not an SPDX license expression."));
            }
            return new LicenseIds(declared, extracted);
        }

        String declared(String text) {
            return declared.get(text);
        }

        private static ObjectNode extracted(String id, String text, String name, String comment) {
            ObjectNode e = NODES.objectNode();
            e.put("licenseId", id);
            e.put("extractedText", text);
            if (name != null && !name.isEmpty()) {
                e.put("name", name);
            }
            e.put("comment", comment);
            return e;
        }
    }
}
