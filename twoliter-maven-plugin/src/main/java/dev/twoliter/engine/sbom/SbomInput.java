package dev.twoliter.engine.sbom;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The facts of one SBOM in the order both writers use: packages sorted by name, epoch, version,
 * release, arch and file name (then by every other field, so that no order is left to the caller),
 * each one's sources sorted, and exact duplicates dropped (a package listed twice says nothing
 * more); a variant's update images, if any (only the SBOMs published beside the images have them),
 * sorted by image. The bounds on the whole are checked here.
 */
record SbomInput(SbomSubject subject, List<SbomPackage> packages, List<SbomUpdateImage> updateImages) {
    static final Comparator<Optional<String>> OPTIONAL_TEXT = Comparator.comparing(o -> o.orElse(null),
            Comparator.nullsFirst(Comparator.<String>naturalOrder()));
    static final Comparator<SbomPackage.SourceArchive> SOURCE_ORDER = Comparator
            .comparing(SbomPackage.SourceArchive::fileName)
            .thenComparing(SbomPackage.SourceArchive::sha512)
            .thenComparing(SbomPackage.SourceArchive::url, OPTIONAL_TEXT);
    static final Comparator<SbomPackage> PACKAGE_ORDER = Comparator.comparing(SbomPackage::name)
            .thenComparingLong(SbomPackage::epoch)
            .thenComparing(SbomPackage::version)
            .thenComparing(SbomPackage::release)
            .thenComparing(SbomPackage::arch)
            .thenComparing(SbomPackage::rpmFileName)
            .thenComparing(SbomPackage::sha256)
            .thenComparing(SbomPackage::kit, OPTIONAL_TEXT)
            .thenComparing(SbomPackage::supplier)
            .thenComparing(SbomPackage::license)
            .thenComparing(SbomPackage::summary, OPTIONAL_TEXT)
            .thenComparing(SbomPackage::url, OPTIONAL_TEXT)
            .thenComparing(SbomPackage::sources, SbomInput::compareSources);

    static final Comparator<SbomUpdateImage> UPDATE_IMAGE_ORDER = Comparator.comparing(SbomUpdateImage::image);
    /** A release has a handful (boot or two UKIs, root, hash). */
    static final int MAX_UPDATE_IMAGES = 16;

    SbomInput {
        packages = List.copyOf(packages);
        updateImages = List.copyOf(updateImages);
    }

    static SbomInput of(SbomSubject subject, List<SbomPackage> packages) {
        return of(subject, packages, List.of());
    }

    static SbomInput of(SbomSubject subject, List<SbomPackage> packages, List<SbomUpdateImage> updateImages) {
        if (subject == null) {
            throw new SbomInputException("SBOM without a subject");
        }
        if (packages == null) {
            throw new SbomInputException("SBOM of " + subject.coordinates() + " without a package list");
        }
        if (packages.size() > Sboms.MAX_PACKAGES) {
            throw new SbomInputException("SBOM of " + subject.coordinates() + " has " + packages.size()
                    + " packages, more than " + Sboms.MAX_PACKAGES);
        }
        long characters = 0;
        long sources = 0;
        List<SbomPackage> sorted = new ArrayList<>(packages.size());
        for (SbomPackage p : packages) {
            if (p == null) {
                throw new SbomInputException("SBOM of " + subject.coordinates() + " has a null package");
            }
            characters += p.license().length() + p.supplier().length() + p.summary().map(String::length).orElse(0)
                    + p.url().map(String::length).orElse(0);
            for (SbomPackage.SourceArchive s : p.sources()) {
                characters += s.fileName().length() + s.url().map(String::length).orElse(0);
            }
            sources += p.sources().size();
            List<SbomPackage.SourceArchive> ordered = p.sources().stream().distinct().sorted(SOURCE_ORDER).toList();
            sorted.add(ordered.equals(p.sources()) ? p : new SbomPackage(p.name(), p.epoch(), p.version(),
                    p.release(), p.arch(), p.license(), p.supplier(), p.rpmFileName(), p.sha256(), p.kit(), p.url(),
                    p.summary(), ordered));
        }
        if (characters > Sboms.MAX_TEXT_CHARACTERS) {
            throw new SbomInputException("SBOM of " + subject.coordinates() + ": the packages' texts add up to "
                    + characters + " characters, more than " + Sboms.MAX_TEXT_CHARACTERS);
        }
        if (sources > Sboms.MAX_SOURCES) {
            throw new SbomInputException("SBOM of " + subject.coordinates() + " lists " + sources
                    + " source archives, more than " + Sboms.MAX_SOURCES);
        }
        return new SbomInput(subject, sorted.stream().distinct().sorted(PACKAGE_ORDER).toList(),
                updateImages(subject, updateImages));
    }

    /** Each image once: two with the same name would be two files where an updater expects one. */
    private static List<SbomUpdateImage> updateImages(SbomSubject subject, List<SbomUpdateImage> images) {
        if (images == null) {
            throw new SbomInputException("SBOM of " + subject.coordinates() + " without an update image list");
        }
        if (images.size() > MAX_UPDATE_IMAGES) {
            throw new SbomInputException("SBOM of " + subject.coordinates() + " has " + images.size()
                    + " update images, more than " + MAX_UPDATE_IMAGES);
        }
        if (!images.isEmpty() && subject.kind() != SbomSubject.Kind.VARIANT) {
            throw new SbomInputException("SBOM of kit " + subject.coordinates() + " with update images; only a"
                    + " variant has them");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (SbomUpdateImage image : images) {
            if (image == null) {
                throw new SbomInputException("SBOM of " + subject.coordinates() + " has a null update image");
            }
            if (!seen.add(image.image())) {
                throw new SbomInputException("SBOM of " + subject.coordinates() + " lists update image "
                        + image.image() + " twice");
            }
        }
        return images.stream().sorted(UPDATE_IMAGE_ORDER).toList();
    }

    private static int compareSources(List<SbomPackage.SourceArchive> a, List<SbomPackage.SourceArchive> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = SOURCE_ORDER.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
