package dev.twoliter.engine.prebuilt;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.artifact.RpmFileName;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.source.SourceCache;
import dev.twoliter.engine.source.SourceFetchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings every prebuilt RPM of a module to this machine and checks, before any container runs, that
 * it is the package declared: a binary RPM whose header reads, with the declared name, epoch,
 * version and release, for one of the build's arches (or noarch). Digests and signatures are left
 * to rpm itself in the SDK ({@link SignatureCheckStep}).
 */
public final class PrebuiltFetch {
    /** A vendor's agent or driver package; far larger is not a package one ships this way. */
    public static final long MAX_RPM_BYTES = 2L << 30;

    /** Resolves a Maven artifact to a local file, bounded in size; supplied by the build tool. */
    @FunctionalInterface
    public interface ArtifactResolver {
        Path resolve(PrebuiltOrigin.Artifact artifact, long maxBytes) throws TwoliterException;
    }

    private final String module;
    private final Path moduleDir;
    private final SourceCache sources;
    private final ArtifactResolver artifacts;

    public PrebuiltFetch(String module, Path moduleDir, SourceCache sources, ArtifactResolver artifacts) {
        this.module = module;
        this.moduleDir = moduleDir;
        this.sources = sources;
        this.artifacts = artifacts;
    }

    /**
     * Every declared RPM, checked; {@code arches} are the rpm names of the build's arches.
     */
    public List<PrebuiltRpm> fetchAll(List<PrebuiltDeclaration> declarations, Set<String> arches)
            throws TwoliterException, IOException {
        List<PrebuiltRpm> rpms = new ArrayList<>();
        Map<String, PrebuiltRpm> byName = new HashMap<>();
        for (PrebuiltDeclaration d : declarations) {
            PrebuiltRpm rpm = fetch(d, arches);
            PrebuiltRpm clash = byName.putIfAbsent(rpm.archiveName(), rpm);
            if (clash != null) {
                throw new PrebuiltException(module + ": " + d.origin().describe() + " and "
                        + clash.declaration().origin().describe() + " are both " + rpm.header().nevra()
                        + "; declare the package once.");
            }
            rpms.add(rpm);
        }
        return List.copyOf(rpms);
    }

    PrebuiltRpm fetch(PrebuiltDeclaration d, Set<String> arches) throws TwoliterException, IOException {
        Path file;
        if (d.origin() instanceof PrebuiltOrigin.ModuleFile f) {
            file = moduleFile(f);
        } else if (d.origin() instanceof PrebuiltOrigin.Download download) {
            file = download(download);
        } else {
            file = artifacts.resolve((PrebuiltOrigin.Artifact) d.origin(), MAX_RPM_BYTES);
        }
        if (Files.size(file) > MAX_RPM_BYTES) {
            throw new PrebuiltException(module + ": prebuilt RPM " + d.origin().describe() + " has " + Files.size(file)
                    + " bytes, more than the " + MAX_RPM_BYTES + " a prebuilt RPM may have.");
        }
        String sha512 = Digests.sha512(file);
        if (d.sha512().isPresent() && !d.sha512().get().equals(sha512)) {
            throw new PrebuiltException(module + ": prebuilt RPM " + d.origin().describe() + " (" + file
                    + ") has the sha512 " + sha512 + ", but its <sha512> is " + d.sha512().get() + ". If the vendor"
                    + " published a new file on purpose, check it and update <sha512>; otherwise the file was"
                    + " changed or damaged.");
        }
        RpmHeader header = header(d, file);
        checkIdentity(d, file, header, arches);
        return new PrebuiltRpm(d, file, header, Digests.sha256(file), sha512);
    }

    private RpmHeader header(PrebuiltDeclaration d, Path file) throws PrebuiltException, IOException {
        try {
            return RpmHeader.read(file);
        } catch (RpmHeader.Unreadable e) {
            throw new PrebuiltException(module + ": prebuilt RPM " + d.origin().describe() + " (" + file
                    + ") is not a binary RPM: " + e.getMessage() + ". Check that the file is the vendor's package"
                    + " and complete.");
        }
    }

    private void checkIdentity(PrebuiltDeclaration d, Path file, RpmHeader h, Set<String> arches)
            throws PrebuiltException {
        if (!h.name().equals(d.name()) || h.epoch() != d.epoch() || !h.version().equals(d.version())
                || !h.release().equals(d.release())) {
            throw new PrebuiltException(module + ": prebuilt RPM " + d.origin().describe() + " (" + file + ") is "
                    + h.nevra() + ", but the module declares " + d.nevr() + " (<name>, <epoch>, <version>,"
                    + " <release>). Declare the package the file holds, or get the file of the declared one.");
        }
        if (!h.arch().equals(RpmFileName.NOARCH) && !arches.contains(h.arch())) {
            throw new PrebuiltException(module + ": prebuilt RPM " + d.origin().describe() + " (" + file + ") is for"
                    + " the arch " + Syntax.show(h.arch()) + ", but the build is for " + String.join(", ",
                            arches.stream().sorted().toList()) + ". Take the vendor's RPM for the build's arch (or a"
                    + " noarch one), or build for " + h.arch() + " too.");
        }
    }

    private Path download(PrebuiltOrigin.Download download) throws PrebuiltException, IOException {
        try {
            return sources.fetch(download.source(), module + " (prebuilt RPM)");
        } catch (SourceFetchException e) {
            // The cache refuses a file of another digest; what that means for a vendor's RPM is said here.
            boolean mismatch = e.getMessage().contains("sha512 mismatch");
            throw new PrebuiltException(e.getMessage() + (mismatch ? "\nThe file at that URL is not the one <sha512>"
                    + " pins. If the vendor replaced it on purpose, check the new file (its signature, the vendor's"
                    + " announcement) and update <sha512>; otherwise the download was changed or damaged." : ""));
        }
    }

    /** The file, which must stay inside the module directory even through symbolic links. */
    private Path moduleFile(PrebuiltOrigin.ModuleFile f) throws PrebuiltException, IOException {
        Path file = moduleDir.resolve(f.path()).normalize();
        if (!Files.isRegularFile(file)) {
            throw new PrebuiltException(module + ": prebuilt RPM " + f.describe() + " is not a file in the module"
                    + " directory " + moduleDir + ". Put the vendor's RPM there, or fix <file>.");
        }
        Path real = file.toRealPath();
        if (!real.startsWith(moduleDir.toRealPath()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new PrebuiltException(module + ": prebuilt RPM " + f.describe() + " leads outside the module"
                    + " directory (to " + real + "); keep the RPM inside the module.");
        }
        return real;
    }
}
