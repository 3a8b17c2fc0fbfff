package dev.twoliter.engine.kit;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.module.ModuleBuild;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.sbom.SbomInputException;
import dev.twoliter.engine.sbom.SbomPackage;
import dev.twoliter.engine.sbom.SbomSubject;
import dev.twoliter.engine.sbom.Sboms;
import dev.twoliter.engine.sdk.PackageFacts;
import dev.twoliter.engine.sdk.SdkImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds a kit: the RPMs of its packages as a yum repository (createrepo_c in the SDK), archived
 * reproducibly as the arch's payload, described by a manifest that pins the payload and every RPM
 * by digest and size. Run by {@link dev.twoliter.engine.module.ModuleBuildRunner}.
 */
public final class KitBuild implements ModuleBuild<KitBuildResult> {
    private final KitBuildRequest request;
    private final Path staging;
    private Map<String, Path> rpms;
    /** The sources each staged RPM was built from, by its path in the kit. */
    private Map<String, List<RpmArchive.Source>> rpmSources;
    /** What the log should say once there is one: packages that have nothing for this arch. */
    private final List<String> warnings = new ArrayList<>();

    public KitBuild(KitBuildRequest request) {
        this.request = request;
        this.staging = request.workDir().resolve("kit-staging");
    }

    @Override
    public Settings settings() {
        return new Settings(request.module(), request.sdkImage(), request.pullSdk(), request.force());
    }

    @Override
    public BuildRecord record() {
        return new BuildRecord(request.workDir(), "kit", request.payloadFile().getParent());
    }

    /** Lays out {@code Packages/<package>/<rpm>} from the packages' artifacts, keeping the kit's arch. */
    @Override
    public void prepareInputs() throws TwoliterException, IOException {
        AtomicFiles.deleteTree(staging);
        warnings.clear();
        rpms = new TreeMap<>();
        rpmSources = new TreeMap<>();
        String arch = request.arch().rpmName();
        List<String> elsewhere = new ArrayList<>();
        for (Map.Entry<String, Path> pkg : new TreeMap<>(request.packages()).entrySet()) {
            Path dir = staging.resolve("Packages").resolve(pkg.getKey());
            // Another arch's RPMs stay in the archive: that arch's payload carries them.
            RpmArchive.Contents contents = RpmArchive.unpackFor(pkg.getValue(), dir, request.module(), arch);
            List<String> otherArches = List.copyOf(contents.otherArches());
            for (Path rpm : contents.rpms()) {
                String name = rpm.getFileName().toString();
                rpms.put("Packages/" + pkg.getKey() + "/" + name, rpm);
                // A prebuilt RPM's only source is itself, not the module's other prebuilt files.
                rpmSources.put("Packages/" + pkg.getKey() + "/" + name, RpmArchive.sourcesOf(Digests.sha512(rpm),
                        contents.sources()));
            }
            if (!otherArches.isEmpty() && rpms.keySet().stream().noneMatch(k -> k.startsWith("Packages/" + pkg.getKey()
                    + "/"))) {
                elsewhere.add("package " + pkg.getKey() + " has RPMs for " + String.join(", ", otherArches) + " only");
                warnings.add(request.module() + ": package " + pkg.getKey() + " has no RPM for " + arch + " (it has "
                        + String.join(", ", otherArches) + "), so the kit's " + arch + " payload goes without it. If it"
                        + " should have one, build it for " + arch + " too (" + request.terms().setting(Terms.Setting.ARCH)
                        + ").");
            }
        }
        if (rpms.isEmpty() && request.kitDependencies().isEmpty()) {
            throw new KitException(request.module() + ": the kit has no packages for " + arch + " and no kit"
                    + " dependencies" + (elsewhere.isEmpty() ? "" : " (" + String.join("; ", elsewhere) + ")")
                    + ". Add the rpm modules it vends, each as a " + request.terms().setting(Terms.Setting.RPM_DEPENDENCY)
                    + (elsewhere.isEmpty() ? "" : ", and build them for " + arch) + ".");
        }
    }

    @Override
    public void checkSdk(SdkImage sdk, BuildLog log) throws TwoliterException {
        warnings.forEach(log::warn);
        sdk.requireArch(request.arch().rpmName());
        KitRepository.warnOnOtherSdk(request.kitGraph().stream().map(k -> Map.entry(k.coordinates(),
                k.manifest().sdk())).toList(), sdk, request.module(), log);
    }

    @Override
    public Fingerprint fingerprint(SdkImage sdk) throws IOException {
        Fingerprint f = new Fingerprint();
        f.put("plugin", request.toolVersion());
        f.put("script", Digests.sha256(CreaterepoStep.SCRIPT + new CreaterepoStep.Environment(request.epoch()).render()));
        f.put("kit", request.coordinates().toString());
        // What a build leaves: a record made before the SBOMs existed does not describe this build.
        f.put("outputs", "manifest, payload, SBOMs");
        f.put("sdk", sdk.id());
        f.put("arch", request.arch().rpmName());
        f.put("sourceDateEpoch", Long.toString(request.epoch().getEpochSecond()));
        for (Map.Entry<String, Path> rpm : rpms.entrySet()) {
            f.putFile("rpm:" + rpm.getKey(), rpm.getValue());
        }
        for (KitCoordinates dependency : request.kitDependencies().stream().sorted().toList()) {
            f.put("kit-dependency:" + dependency.key(), dependency.version());
        }
        KitClosure closure = request.closure();
        f.put("closure", closure.policy().name());
        if (closure.policy() != dev.twoliter.engine.closure.ClosurePolicy.SKIP) {
            for (KitRepository kit : closure.repositories()) {
                f.put("closure-kit:" + kit.coordinates(), kit.payloadSha256()
                        + (closure.base().contains(kit.coordinates()) ? " base" : ""));
            }
            closure.exceptions().forEach(e -> f.put("closure-exception:" + e.text(), e.reason()));
            // Other kits only change suggestions in a failure, which leaves no record.
        }
        return f;
    }

    @Override
    public KitBuildResult upToDate(BuildRecord record) {
        return new KitBuildResult(request.manifestFile(), request.payloadFile(), request.arch().rpmName(), sbomFiles(),
                true);
    }

    @Override
    public KitBuildResult runSteps(StepContext steps, Fingerprint inputs) throws TwoliterException, IOException {
        KitClosureStep.run(steps, request, rpms);
        CreaterepoStep.Repository repository = CreaterepoStep.run(steps, request, rpms, staging);
        writePayload(repository.directory());
        KitManifest manifest = writeManifest(steps.sdk(), repository.rpms());
        writeSboms(manifest);
        return new KitBuildResult(request.manifestFile(), request.payloadFile(), request.arch().rpmName(), sbomFiles(),
                false);
    }

    @Override
    public Fingerprint outputs(KitBuildResult result, BuildRecord record) throws IOException {
        Fingerprint outputs = new Fingerprint();
        List<Path> files = new ArrayList<>(List.of(result.manifest(), result.payload()));
        files.addAll(result.sboms());
        for (Path file : files) {
            outputs.putFile(record.key("", file), file);
        }
        return outputs;
    }

    @Override
    public void cleanUp() throws IOException {
        AtomicFiles.deleteTree(staging);
    }

    private void writePayload(Path repository) throws IOException {
        Map<String, Path> entries = new TreeMap<>(rpms);
        try (Stream<Path> files = Files.list(repository.resolve("repodata"))) {
            for (Path file : files.toList()) {
                entries.put("repodata/" + file.getFileName(), file);
            }
        }
        Tars.writeInPlace(entries, request.epoch(), request.payloadFile());
    }

    private KitManifest writeManifest(SdkImage sdk, List<PackageFacts.RpmFile> metadata)
            throws IOException, KitException {
        List<KitManifest.Rpm> entries = new ArrayList<>();
        for (PackageFacts.RpmFile m : metadata) {
            Path file = rpms.get(m.path());
            if (file == null) {
                throw new KitException(request.module() + ": the SDK reports " + m.path()
                        + ", which the kit did not stage.");
            }
            PackageFacts.Nevra n = m.nevra();
            entries.add(new KitManifest.Rpm(n.name(), n.epoch(), n.version(), n.release(), n.arch(), m.path(),
                    Files.size(file), Digests.sha256(file), m.license(), rpmSources.getOrDefault(m.path(), List.of())));
        }
        entries.sort(java.util.Comparator.comparing(KitManifest.Rpm::path));
        KitManifest.Payload payload = new KitManifest.Payload(Digests.sha256(request.payloadFile()),
                Files.size(request.payloadFile()), List.copyOf(entries));
        KitManifest manifest = new KitManifest(KitManifest.FORMAT_VERSION, request.coordinates(),
                new KitManifest.Sdk(sdk.reference(), sdk.id(), sdk.name(), sdk.version()), request.kitDependencies(),
                Map.of(request.arch().rpmName(), payload), closureRecord());
        manifest.write(request.manifestFile());
        return manifest;
    }

    /** What the check assumed, for consumers; nothing if the check was off. */
    private Optional<KitManifest.Closure> closureRecord() {
        KitClosure closure = request.closure();
        if (closure.policy() == dev.twoliter.engine.closure.ClosurePolicy.SKIP) {
            return Optional.empty();
        }
        return Optional.of(new KitManifest.Closure(closure.base().stream().sorted().toList(), closure.exceptions()));
    }

    private List<Path> sbomFiles() {
        Path dir = request.payloadFile().getParent();
        return List.of(dir.resolve(request.sbomBaseName() + Sboms.SPDX_SUFFIX),
                dir.resolve(request.sbomBaseName() + Sboms.CYCLONEDX_SUFFIX));
    }

    /** The SBOMs of the payload's RPMs, from the manifest just written: what consumers will verify. */
    private void writeSboms(KitManifest manifest) throws IOException, KitException {
        KitCoordinates kit = request.coordinates();
        try {
            SbomSubject subject = new SbomSubject(SbomSubject.Kind.KIT, kit.groupId(), kit.artifactId(), kit.version(),
                    request.arch().rpmName(), "twoliter-maven-plugin", request.toolVersion(), request.epoch());
            List<SbomPackage> packages = new ArrayList<>();
            for (KitManifest.Rpm rpm : manifest.payload(request.arch().rpmName()).rpms()) {
                packages.add(new SbomPackage(rpm.name(), rpm.epoch(), rpm.version(), rpm.release(), rpm.arch(),
                        rpm.license(), kit.groupId(), rpm.path().substring(rpm.path().lastIndexOf('/') + 1),
                        rpm.sha256(), Optional.of(kit.toString()), Optional.empty(), Optional.empty(),
                        rpm.sources().stream().map(s -> new SbomPackage.SourceArchive(s.file(), s.sha512(), s.url(), s.purl()))
                                .toList()));
            }
            Sboms.write(subject, packages, request.payloadFile().getParent(), request.sbomBaseName());
        } catch (SbomInputException e) {
            throw new KitException(request.module() + ": cannot write the kit's SBOM: " + e.getMessage() + ".");
        }
    }
}
