package dev.twoliter.engine.artifact;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.io.TomlText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The artifact of an rpm module: a tar of its RPMs, and {@value #SOURCES_ENTRY}, which lists the
 * sources they were built from with their sha512 (for the SBOMs of the kits and images that ship the
 * RPMs). Kits, variants and other packages read it; archives made before the list existed have none.
 */
public final class RpmArchive {
    /** The sources list inside the archive (a name no RPM file can have). */
    public static final String SOURCES_ENTRY = "twoliter-sources.toml";
    private static final int MAX_SOURCES_BYTES = 4 << 20;
    private static final int MAX_SOURCES = 10_000;

    /**
     * Where the sources list names a prebuilt RPM: the package was not built from sources but taken
     * as its vendor shipped it. The mark is part of the file name, as {@code vendor/} marks vendored
     * dependencies, so every reader of sources lists (kit manifests, SBOMs) carries it unchanged.
     */
    public static final String PREBUILT_PREFIX = "prebuilt/";

    /** A file the RPMs were built from; {@code url} only for sources fetched from one. */
    public record Source(String file, String sha512, Optional<String> url, Optional<String> purl) {
        public Source(String file, String sha512, Optional<String> url) {
            this(file, sha512, url, Optional.empty());
        }

        /** Whether this is a prebuilt RPM taken as it is rather than a source it was built from. */
        public boolean prebuilt() {
            return isPrebuilt(file);
        }
    }

    /**
     * The sources of one RPM of a module: a built RPM was made from all of the module's sources, a
     * prebuilt one only from itself, so the other prebuilt files of the module are left out.
     *
     * @param sha512 the RPM's own SHA-512
     */
    public static List<Source> sourcesOf(String sha512, List<Source> moduleSources) {
        return moduleSources.stream().filter(s -> !s.prebuilt() || s.sha512().equals(sha512)).toList();
    }

    /** Whether a sources list's file name marks a prebuilt RPM. */
    public static boolean isPrebuilt(String file) {
        return file.startsWith(PREBUILT_PREFIX);
    }

    private RpmArchive() {}

    /**
     * What an archive holds: its RPMs (sorted), the sources they were built from (empty: no list), and
     * the arches of the RPMs left in the archive because a build for another arch asked (sorted).
     */
    public record Contents(List<Path> rpms, List<Source> sources, java.util.SortedSet<String> otherArches) {
        public Contents {
            otherArches = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(otherArches));
        }

        public Contents(List<Path> rpms, List<Source> sources) {
            this(rpms, sources, new java.util.TreeSet<>());
        }
    }

    /** Unpacks the archive into {@code dir} and returns its RPMs (sorted), refusing anything unsafe. */
    public static List<Path> unpack(Path archive, Path dir, String module) throws TwoliterException {
        return extract(archive, dir, module, false, null).rpms();
    }

    /**
     * As {@link #unpack}, and reads the sources list on the way (one pass over the archive). The
     * archive may come from a repository, so the list is bounded and every field checked.
     */
    public static Contents unpackWithSources(Path archive, Path dir, String module) throws TwoliterException {
        return extract(archive, dir, module, true, null);
    }

    /**
     * As {@link #unpackWithSources}, unpacking only the RPMs a build for {@code arch} uses (its own
     * arch's and noarch ones); {@link Contents#otherArches} names the arches of the others.
     */
    public static Contents unpackFor(Path archive, Path dir, String module, String arch) throws TwoliterException {
        return extract(archive, dir, module, true, arch);
    }

    private static Contents extract(Path archive, Path dir, String module, boolean readSources, String arch)
            throws TwoliterException {
        java.util.SortedSet<String> otherArches = new java.util.TreeSet<>();
        java.util.function.Predicate<String> wanted = name -> {
            if (arch == null || !name.endsWith(".rpm") || RpmFileName.isFor(name, arch)) {
                return true;
            }
            RpmFileName.arch(name).ifPresent(otherArches::add);
            return false;
        };
        try (InputStream in = Files.newInputStream(archive)) {
            List<Path> files = Tars.extract(in, "", dir, Long.MAX_VALUE, wanted);
            Path list = dir.resolve(SOURCES_ENTRY);
            List<Source> sources = List.of();
            if (readSources && Files.isRegularFile(list)) {
                if (Files.size(list) > MAX_SOURCES_BYTES) {
                    throw bad(archive, module, "is larger than " + MAX_SOURCES_BYTES + " bytes");
                }
                sources = parse(Files.readString(list, StandardCharsets.UTF_8), archive, module);
            }
            Files.deleteIfExists(list);
            return new Contents(files.stream().filter(f -> f.getFileName().toString().endsWith(".rpm"))
                    .map(dir::resolve).sorted().toList(), sources, otherArches);
        } catch (IOException e) {
            throw new TwoliterException(module + ": package artifact " + archive + " is not an archive of RPMs: "
                    + e.getMessage());
        }
    }

    /**
     * The sha256 of each RPM in the archive that a build for {@code arch} uses (its own arch's and
     * noarch ones), by entry name, read without unpacking: a change to another arch's RPMs leaves
     * the result, and so the fingerprints of this arch's dependants, unchanged.
     */
    public static java.util.SortedMap<String, String> digestsFor(Path archive, String arch, String module)
            throws TwoliterException {
        java.util.SortedMap<String, String> digests = new java.util.TreeMap<>();
        try (InputStream in = Files.newInputStream(archive);
                org.apache.commons.compress.archivers.tar.TarArchiveInputStream tar = Tars.reader(in)) {
            for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (!entry.isFile() || !RpmFileName.isFor(entry.getName(), arch)) {
                    continue;
                }
                if (digests.size() >= MAX_SOURCES) {
                    throw bad(archive, module, "holds more than " + MAX_SOURCES + " RPMs");
                }
                java.security.MessageDigest sha256 = dev.twoliter.engine.io.Digests.newDigest("SHA-256");
                byte[] buffer = new byte[1 << 16];
                for (int n = tar.read(buffer); n > 0; n = tar.read(buffer)) {
                    sha256.update(buffer, 0, n);
                }
                digests.put(entry.getName(), java.util.HexFormat.of().formatHex(sha256.digest()));
            }
            return digests;
        } catch (IOException e) {
            throw new TwoliterException(module + ": package artifact " + archive + " is not an archive of RPMs: "
                    + e.getMessage());
        }
    }

    /** The text of {@value #SOURCES_ENTRY} for {@code sources}. */
    public static String sourcesText(List<Source> sources) {
        StringBuilder t = new StringBuilder("format-version = 1\n");
        for (Source s : sources) {
            t.append("\n[[source]]\n").append(TomlText.entry("file", s.file())).append(TomlText.entry("sha512",
                    s.sha512()));
            s.url().ifPresent(u -> t.append(TomlText.entry("url", u)));
            s.purl().ifPresent(p -> t.append(TomlText.entry("purl", p)));
        }
        return t.toString();
    }

    private static List<Source> parse(String text, Path archive, String module) throws TwoliterException {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            throw bad(archive, module, "cannot be read: " + toml.errors().get(0));
        }
        TomlArray array = toml.getArray("source");
        List<Source> sources = new ArrayList<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            if (i >= MAX_SOURCES || !(array.get(i) instanceof TomlTable t)) {
                throw bad(archive, module, "has more than " + MAX_SOURCES + " sources or a malformed entry " + (i + 1));
            }
            Object file = t.get("file");
            Object sha512 = t.get("sha512");
            Object url = t.get("url");
            Object purl = t.get("purl");
            if (!(file instanceof String f) || !Syntax.isOneLine(f, 4096) || f.isBlank()) {
                throw bad(archive, module, "has an invalid file name in source " + (i + 1) + ": "
                        + Syntax.show(String.valueOf(file)));
            }
            if (!(sha512 instanceof String d) || !Syntax.isSha512(d)) {
                throw bad(archive, module, "has an invalid sha512 for " + Syntax.show(f));
            }
            if (url != null && (!(url instanceof String u) || !Syntax.isOneLine(u, 4096))) {
                throw bad(archive, module, "has an invalid url for " + Syntax.show(f));
            }
            if (purl != null && (!(purl instanceof String p) || !Syntax.isOneLine(p, 4096) || !p.startsWith("pkg:"))) {
                throw bad(archive, module, "has an invalid purl for " + Syntax.show(f));
            }
            sources.add(new Source(f, d, Optional.ofNullable((String) url), Optional.ofNullable((String) purl)));
        }
        return List.copyOf(sources);
    }

    private static TwoliterException bad(Path archive, String module, String what) {
        return new TwoliterException(module + ": the sources list " + SOURCES_ENTRY + " in package artifact " + archive
                + " " + what + ".");
    }
}
