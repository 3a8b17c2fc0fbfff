package dev.twoliter.engine.sbom;

import dev.twoliter.engine.Syntax;
import java.util.List;
import java.util.Optional;

/**
 * One RPM as the SBOMs list it: its identity (name, epoch, version, release, arch), its file and
 * digest, the license and texts its header carries, who supplied it and what it was built from.
 *
 * <p>Most values come from RPM headers and kit manifests that vendors wrote, so each is checked
 * here: identities and digests must have their syntax, texts are bounded, and free texts may hold
 * any character but half a surrogate pair (the JSON writers escape the rest).
 *
 * @param epoch 0 for none
 * @param license the header's License text exactly as the packager wrote it; empty if there is none
 * @param supplier who supplied the package, shown as is: the kit's vendor (its groupId, e.g.
 *     {@code com.example.vendor}) or e.g. {@code local module com.example:foo}
 * @param rpmFileName the RPM's file name, without directories
 * @param sha256 digest of the RPM file, 64 lowercase hex digits
 * @param kit {@code groupId:artifactId:version} of the kit the package came from; empty for a
 *     package built in the same project
 * @param url the header's URL text (a project home page); written only where it is a usable URL
 * @param summary the header's Summary text
 * @param sources the source archives the package was built from (its SRPM's Source files)
 */
public record SbomPackage(String name, long epoch, String version, String release, String arch, String license,
        String supplier, String rpmFileName, String sha256, Optional<String> kit, Optional<String> url,
        Optional<String> summary, List<SourceArchive> sources) {

    /** Whether the package is a prebuilt RPM, taken as its vendor shipped it instead of built here. */
    public boolean prebuilt() {
        return sources.stream().anyMatch(SourceArchive::prebuilt);
    }

    /** Fedora's longest License tags are a few thousand characters. */
    public static final int MAX_LICENSE_LENGTH = 8192;
    public static final int MAX_SUMMARY_LENGTH = 4096;
    public static final int MAX_URL_LENGTH = 4096;
    public static final int MAX_SUPPLIER_LENGTH = 512;
    /** Source files of one package; large packages have a few hundred. */
    public static final int MAX_SOURCES = 10_000;

    /**
     * A file a package was built from.
     *
     * @param fileName the file's name; a module's own files keep their path in the module
     *     ({@code files/motd.conf}), so it may have directories, but no {@code ..} and no leading {@code /}
     * @param sha512 its digest, 128 lowercase hex digits
     * @param url where it was fetched from, if known; written only where it is a usable URL
     */
    public record SourceArchive(String fileName, String sha512, Optional<String> url, Optional<String> purl) {
        /**
         * Whether this is a prebuilt RPM that the package was taken from as its vendor shipped it,
         * rather than a source it was built from (see {@link dev.twoliter.engine.artifact.RpmArchive#PREBUILT_PREFIX}).
         */
        public boolean prebuilt() {
            return dev.twoliter.engine.artifact.RpmArchive.isPrebuilt(fileName);
        }

        public SourceArchive {
            purl = optionalLine(purl, MAX_URL_LENGTH, () -> "source archive " + fileName + ": purl");
            if (!isRelativePath(fileName)) {
                throw new SbomInputException("source archive " + Syntax.show(fileName)
                        + ": fileName is not a relative path of one line");
            }
            if (!Syntax.isSha512(sha512)) {
                throw new SbomInputException("source archive " + fileName + ": sha512 " + Syntax.show(sha512)
                        + " is not 128 lowercase hex digits");
            }
            url = optionalLine(url, MAX_URL_LENGTH, () -> "source archive " + fileName + ": url");
        }

        public SourceArchive(String fileName, String sha512, Optional<String> url) {
            this(fileName, sha512, url, Optional.empty());
        }

        public SourceArchive(String fileName, String sha512) {
            this(fileName, sha512, Optional.empty());
        }
    }

    public SbomPackage {
        if (!Syntax.isRpmName(name)) {
            throw new SbomInputException("SBOM package " + Syntax.show(name) + ": name is not an RPM package name");
        }
        String what = "SBOM package " + name;
        if (!Syntax.isRpmEpoch(epoch)) {
            throw new SbomInputException(what + ": epoch " + epoch + " is not between 0 and " + Integer.MAX_VALUE);
        }
        if (!Syntax.isRpmVersion(version)) {
            throw new SbomInputException(what + ": version " + Syntax.show(version) + " is not an RPM version");
        }
        if (!Syntax.isRpmVersion(release)) {
            throw new SbomInputException(what + ": release " + Syntax.show(release) + " is not an RPM release");
        }
        if (!Syntax.isRpmArch(arch)) {
            throw new SbomInputException(what + ": arch " + Syntax.show(arch) + " is not an RPM arch");
        }
        what = "SBOM package " + name + "-" + (epoch == 0 ? "" : epoch + ":") + version + "-" + release + "." + arch;
        if (!Syntax.isPlainFileName(rpmFileName)) {
            throw new SbomInputException(what + ": rpmFileName " + Syntax.show(rpmFileName)
                    + " is not a plain file name");
        }
        what = what + " (" + rpmFileName + ")";
        if (!Syntax.isSha256(sha256)) {
            throw new SbomInputException(what + ": sha256 " + Syntax.show(sha256) + " is not 64 lowercase hex digits");
        }
        if (license == null || !Texts.isFreeText(license, MAX_LICENSE_LENGTH)) {
            throw new SbomInputException(what + ": license " + Syntax.show(license) + " is missing, longer than "
                    + MAX_LICENSE_LENGTH + " characters or not valid Unicode");
        }
        if (supplier == null || supplier.isBlank() || !Syntax.isOneLine(supplier, MAX_SUPPLIER_LENGTH)) {
            throw new SbomInputException(what + ": supplier " + Syntax.show(supplier) + " is not one line of 1 to "
                    + MAX_SUPPLIER_LENGTH + " printable characters");
        }
        if (kit == null) {
            throw new SbomInputException(what + ": kit is null (use Optional.empty() for a local package)");
        }
        if (kit.isPresent() && !isKitCoordinates(kit.get())) {
            throw new SbomInputException(what + ": kit " + Syntax.show(kit.get())
                    + " is not groupId:artifactId:version");
        }
        String where = what;
        url = optionalLine(url, MAX_URL_LENGTH, () -> where + ": url");
        if (summary == null) {
            throw new SbomInputException(what + ": summary is null (use Optional.empty())");
        }
        if (summary.isPresent() && !Texts.isFreeText(summary.get(), MAX_SUMMARY_LENGTH)) {
            throw new SbomInputException(what + ": summary " + Syntax.show(summary.get()) + " is longer than "
                    + MAX_SUMMARY_LENGTH + " characters or not valid Unicode");
        }
        summary = summary.filter(s -> !s.isBlank());
        if (sources == null || sources.size() > MAX_SOURCES) {
            throw new SbomInputException(what + ": sources " + (sources == null ? "is null" : "has " + sources.size()
                    + " entries, more than " + MAX_SOURCES));
        }
        if (sources.stream().anyMatch(java.util.Objects::isNull)) {
            throw new SbomInputException(what + ": sources has a null entry");
        }
        sources = List.copyOf(sources);
    }

    /** {@code name-[epoch:]version-release.arch}, as dnf shows a package. */
    public String nevra() {
        return name + "-" + evr() + "." + arch;
    }

    /** {@code [epoch:]version-release}: RPM's own notation, the epoch only when it is not 0. */
    public String evr() {
        return (epoch == 0 ? "" : epoch + ":") + version + "-" + release;
    }

    private static boolean isKitCoordinates(String text) {
        String[] parts = text.split(":", -1);
        return parts.length == 3 && Syntax.isMavenId(parts[0]) && Syntax.isMavenId(parts[1])
                && Syntax.isMavenVersion(parts[2]);
    }

    /** Null is a caller's slip, so it is refused; blank means absent. */
    private static Optional<String> optionalLine(Optional<String> value, int maxLength,
            java.util.function.Supplier<String> field) {
        if (value == null) {
            throw new SbomInputException(field.get() + " is null (use Optional.empty())");
        }
        if (value.isPresent() && !Syntax.isOneLine(value.get(), maxLength)) {
            throw new SbomInputException(field.get() + " " + Syntax.show(value.get())
                    + " is not one line of at most " + maxLength + " printable characters");
        }
        return value.map(String::strip).filter(v -> !v.isEmpty());
    }

    /**
     * A path relative to a module: one line, no leading {@code /}, no empty, {@code .} or {@code ..}
     * part. Any other character is allowed (a module's file may have a space in its name); the
     * writers escape it.
     */
    static boolean isRelativePath(String path) {
        if (!Syntax.isOneLine(path, MAX_URL_LENGTH) || path.isBlank()) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
