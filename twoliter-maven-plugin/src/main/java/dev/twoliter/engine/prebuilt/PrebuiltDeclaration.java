package dev.twoliter.engine.prebuilt;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.source.ExternalSource;
import dev.twoliter.engine.source.SourceCache;
import dev.twoliter.engine.source.SourceFetchException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One prebuilt RPM as the module declares it: where it comes from and the package it must be.
 *
 * @param sha512 the file's digest when declared (required for downloads, optional otherwise)
 */
public record PrebuiltDeclaration(PrebuiltOrigin origin, String name, long epoch, String version, String release,
        Optional<String> sha512) {
    /** A module takes a few vendor packages; more is a mistake rather than a use. */
    public static final int MAX_ENTRIES = 256;

    /**
     * One entry as written, unchecked; exactly one of {@code file}, {@code url} and {@code artifact}.
     * {@code epoch} may be null (0).
     */
    public record Declared(String file, String url, String sha512, String fileName, Long size, String serverId,
            String artifact, String name, Long epoch, String version, String release) {}

    /** name-[epoch:]version-release, as rpm prints it without the arch. */
    public String nevr() {
        return name + "-" + (epoch == 0 ? "" : epoch + ":") + version + "-" + release;
    }

    /** Checks every entry; {@code module} names the module in errors. */
    public static List<PrebuiltDeclaration> validate(String module, List<Declared> entries, Terms terms)
            throws PrebuiltException {
        String setting = terms.setting(Terms.Setting.PREBUILT_RPMS);
        if (entries.size() > MAX_ENTRIES) {
            throw new PrebuiltException(module + ": " + setting + " lists " + entries.size() + " RPMs; at most "
                    + MAX_ENTRIES + " are taken. Ship that many packages as a kit instead.");
        }
        List<PrebuiltDeclaration> declarations = new ArrayList<>();
        Set<String> origins = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            PrebuiltDeclaration d = of(module, setting + " entry " + (i + 1), entries.get(i), terms);
            if (!origins.add(d.origin().describe())) {
                throw new PrebuiltException(module + ": " + setting + " lists " + d.origin().describe()
                        + " twice; remove one entry.");
            }
            declarations.add(d);
        }
        return List.copyOf(declarations);
    }

    private static PrebuiltDeclaration of(String module, String at, Declared e, Terms terms) throws PrebuiltException {
        String where = module + ": " + at;
        PrebuiltOrigin origin = origin(where, module, e, terms);
        String name = trim(e.name());
        if (!Syntax.isRpmName(name)) {
            throw new PrebuiltException(where + " (" + origin.describe() + ") needs <name>, the package name the RPM"
                    + " must have (letters, digits, '.', '_', '+', '-'), found " + Syntax.show(name) + ".");
        }
        long epoch = e.epoch() == null ? 0 : e.epoch();
        if (!Syntax.isRpmEpoch(epoch)) {
            throw new PrebuiltException(where + " (" + origin.describe() + ") has the <epoch> " + epoch
                    + "; an epoch is a number from 0 to " + Integer.MAX_VALUE + ".");
        }
        String version = trim(e.version());
        String release = trim(e.release());
        for (String[] part : new String[][] {{"version", version}, {"release", release}}) {
            if (!Syntax.isRpmVersion(part[1])) {
                throw new PrebuiltException(where + " (" + origin.describe() + ") needs <" + part[0] + ">, the "
                        + part[0] + " the RPM must have (letters, digits, '.', '_', '+', '~', '^'), found "
                        + Syntax.show(part[1]) + ".");
            }
        }
        String sha512 = e.sha512() == null || e.sha512().isBlank() ? null
                : e.sha512().trim().toLowerCase(java.util.Locale.ROOT);
        if (sha512 != null && !Syntax.isSha512(sha512)) {
            throw new PrebuiltException(where + " (" + origin.describe() + ") has a <sha512> that is not 128 hex"
                    + " digits: " + Syntax.show(e.sha512()) + ".");
        }
        return new PrebuiltDeclaration(origin, name, epoch, version, release, Optional.ofNullable(sha512));
    }

    private static PrebuiltOrigin origin(String where, String module, Declared e, Terms terms)
            throws PrebuiltException {
        int given = (blank(e.file()) ? 0 : 1) + (blank(e.url()) ? 0 : 1) + (blank(e.artifact()) ? 0 : 1);
        if (given != 1) {
            throw new PrebuiltException(where + " needs exactly one of <file>, <url> and <artifact>, found " + given
                    + ".");
        }
        if (!blank(e.file())) {
            return new PrebuiltOrigin.ModuleFile(relativePath(where, e.file().trim()));
        }
        if (!blank(e.url())) {
            ExternalSource source = ExternalSource.of(e.url().trim(), e.sha512(), e.fileName(), false, e.size(),
                    e.serverId());
            try {
                SourceCache.validate(source, module + " (prebuilt RPM)", terms);
            } catch (SourceFetchException x) {
                throw new PrebuiltException(x.getMessage());
            }
            return new PrebuiltOrigin.Download(source);
        }
        return artifact(where, e.artifact().trim());
    }

    /** A relative path of plain components: it cannot leave the module directory. */
    private static String relativePath(String where, String path) throws PrebuiltException {
        boolean valid = Syntax.isOneLine(path, 1024) && !path.startsWith("/") && !path.contains("\\");
        for (String part : path.split("/", -1)) {
            valid &= !part.isEmpty() && !part.equals(".") && !part.equals("..");
        }
        if (!valid) {
            throw new PrebuiltException(where + " has the <file> " + Syntax.show(path) + "; give a path relative to"
                    + " the module directory, without '.' or '..' components.");
        }
        return path;
    }

    private static PrebuiltOrigin.Artifact artifact(String where, String coordinates) throws PrebuiltException {
        String[] parts = coordinates.split(":", -1);
        boolean valid = parts.length >= 3 && parts.length <= 5;
        for (int i = 0; valid && i < parts.length; i++) {
            valid = i == 2 ? Syntax.isMavenVersion(parts[i]) : Syntax.isMavenId(parts[i]);
        }
        if (!valid) {
            throw new PrebuiltException(where + " has the <artifact> " + Syntax.show(coordinates) + "; use"
                    + " groupId:artifactId:version[:extension[:classifier]] (extension rpm by default).");
        }
        return new PrebuiltOrigin.Artifact(parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : "rpm",
                parts.length > 4 ? parts[4] : "");
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
