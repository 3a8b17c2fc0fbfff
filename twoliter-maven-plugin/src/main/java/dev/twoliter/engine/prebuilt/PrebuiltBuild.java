package dev.twoliter.engine.prebuilt;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.module.ModuleBuild;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.rpm.ModuleArchive;
import dev.twoliter.engine.rpm.RpmBuildResult;
import dev.twoliter.engine.sdk.SdkImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One arch of an rpm module whose RPMs are prebuilt: no rpmbuild, one step in which rpm checks the
 * files, and then the same outputs a built module has (the RPMs, a reproducible tar of them with
 * {@value RpmArchive#SOURCES_ENTRY}), so kits, variants and other modules take them unchanged. The
 * runner skips the step when no RPM, declaration or key changed, and the remote cache serves it.
 */
public final class PrebuiltBuild implements ModuleBuild<RpmBuildResult> {
    private final PrebuiltRequest request;

    public PrebuiltBuild(PrebuiltRequest request) {
        this.request = request;
    }

    @Override
    public Settings settings() {
        return new Settings(request.module(), request.sdkImage(), request.pullSdk(), request.force());
    }

    @Override
    public BuildRecord record() {
        return new BuildRecord(request.workDir(), "rpm", request.workDir().getParent());
    }

    /** The RPMs were fetched and their headers checked when the request was made. */
    @Override
    public void prepareInputs() {}

    @Override
    public Fingerprint fingerprint(SdkImage sdk) throws IOException {
        Fingerprint f = new Fingerprint();
        f.put("plugin", request.toolVersion());
        f.put("script", Digests.sha256(SignatureCheckStep.SCRIPT));
        f.put("sdk", sdk.id());
        f.put("outputs", "prebuilt RPMs, archive with " + RpmArchive.SOURCES_ENTRY);
        f.put("artifact", request.archive().getFileName().toString());
        f.put("arch", request.arch().rpmName());
        f.put("sourceDateEpoch", request.sourceDateEpoch().map(i -> Long.toString(i.getEpochSecond())).orElse("epoch"));
        f.put("key", request.key().isPresent() ? Digests.sha256(request.key().get().file()) : "none");
        for (PrebuiltRpm rpm : request.rpms()) {
            f.put("rpm:" + rpm.archiveName(), rpm.sha256());
        }
        // What is declared reaches the sources list (and the SBOMs), so it is an input even when the files stay.
        f.put("sources", Digests.sha256(RpmArchive.sourcesText(sources())));
        return f;
    }

    @Override
    public RpmBuildResult upToDate(BuildRecord record) {
        return moduleArchive().fromRecord(record);
    }

    @Override
    public RpmBuildResult runSteps(StepContext steps, Fingerprint fingerprint) throws TwoliterException, IOException {
        SignatureCheckStep.run(steps, request.module(), request.rpms(), request.key(), request.workDir(),
                request.timeout(), request.terms());
        return moduleArchive().write(placeRpms(), sources());
    }

    @Override
    public Fingerprint outputs(RpmBuildResult result, BuildRecord record) throws IOException {
        return ModuleArchive.outputs(result, record);
    }

    private ModuleArchive moduleArchive() {
        return new ModuleArchive(request.archive(), sourcesFile(), request.sourceDateEpoch().orElse(Instant.EPOCH));
    }

    /**
     * The sources list: every RPM of the module (all arches, as one list stands for the module), each
     * under {@value RpmArchive#PREBUILT_PREFIX} with the name it came by, its sha512 and its origin.
     */
    List<RpmArchive.Source> sources() {
        Map<String, RpmArchive.Source> sources = new TreeMap<>();
        for (PrebuiltRpm rpm : request.allRpms()) {
            PrebuiltOrigin origin = rpm.declaration().origin();
            String file = RpmArchive.PREBUILT_PREFIX + origin.fileName();
            sources.put(file, new RpmArchive.Source(file, rpm.sha512(), origin.url(), origin.purl()));
        }
        return List.copyOf(sources.values());
    }

    private Path sourcesFile() {
        return request.workDir().resolve(RpmArchive.SOURCES_ENTRY);
    }

    /** Copies the RPMs under rpmbuild's names, whatever they were called where they came from. */
    private List<Path> placeRpms() throws IOException {
        AtomicFiles.deleteTree(request.rpmDir());
        Files.createDirectories(request.rpmDir());
        List<Path> placed = new ArrayList<>();
        for (PrebuiltRpm rpm : request.rpms()) {
            Path target = request.rpmDir().resolve(rpm.archiveName());
            Path temp = AtomicFiles.tempSibling(target);
            try {
                Files.copy(rpm.file(), temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.moveIntoPlace(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
            placed.add(target);
        }
        return placed.stream().sorted().toList();
    }

}
