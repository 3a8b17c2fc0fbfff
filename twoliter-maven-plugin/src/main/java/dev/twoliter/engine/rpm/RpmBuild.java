package dev.twoliter.engine.rpm;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.artifact.RpmFileName;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.module.ModuleBuild;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.net.Urls;
import dev.twoliter.engine.sdk.SdkImage;
import dev.twoliter.engine.source.ExternalSource;
import dev.twoliter.engine.source.SourceCache;
import dev.twoliter.engine.vendor.VendorDeclaration;
import dev.twoliter.engine.vendor.VendorTree;
import dev.twoliter.engine.vendor.VendorTrees;
import dev.twoliter.engine.vendor.VendoredDependency;
import dev.twoliter.engine.vendor.Vendoring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds the RPMs of one {@code rpm} module: its inputs (spec, sources, dependencies, macros), one
 * step (rpmbuild in the SDK), and its outputs (the RPMs and a reproducible tar of them, the
 * module's artifact). Run by {@link dev.twoliter.engine.module.ModuleBuildRunner}.
 */
public final class RpmBuild implements ModuleBuild<RpmBuildResult> {
    private final RpmBuildRequest request;
    private final SourceCache sourceCache;
    private final Vendoring vendoring;
    private final List<VendorDeclaration> vendorDeclarations;
    private RpmInputs inputs;
    private List<VendoredDependency> vendored = List.of();
    private String archMacros;

    /** Without vendoring: Go and Cargo lock files are sources like any other. */
    public RpmBuild(RpmBuildRequest request, SourceCache sourceCache) {
        this(request, sourceCache, null, List.of());
    }

    /**
     * @param vendoring vendors the Go modules and Cargo crates of the module's trees, or null for none
     * @param vendorDeclarations the archives among the sources whose dependencies are vendored
     */
    public RpmBuild(RpmBuildRequest request, SourceCache sourceCache, Vendoring vendoring,
            List<VendorDeclaration> vendorDeclarations) {
        this.request = request;
        this.sourceCache = sourceCache;
        this.vendoring = vendoring;
        this.vendorDeclarations = List.copyOf(vendorDeclarations);
    }

    /**
     * What the RPMs were built from, for SBOMs: every external source with its pinned sha512 and its
     * URL (credentials hidden), and every local file with its sha512.
     */
    private List<RpmArchive.Source> sources() throws IOException {
        Map<String, ExternalSource> external = new TreeMap<>();
        request.externalSources().forEach(e -> external.put(e.fileName(), e));
        List<RpmArchive.Source> sources = new ArrayList<>();
        for (Map.Entry<String, Path> source : inputs.sources().entrySet()) {
            ExternalSource e = external.get(source.getKey());
            sources.add(e != null
                    ? new RpmArchive.Source(source.getKey(), e.sha512(), Optional.of(Urls.redact(e.url())))
                    : new RpmArchive.Source(source.getKey(), Digests.sha512(source.getValue()), Optional.empty()));
        }
        for (VendoredDependency d : vendored) {
            sources.add(new RpmArchive.Source("vendor/" + d.name() + "@" + d.version(), d.sha512(), Optional.empty(),
                    Optional.of(d.purl())));
        }
        return sources;
    }

    @Override
    public Settings settings() {
        return new Settings(request.module(), request.sdkImage(), request.pullSdk(), request.force());
    }

    /** Outputs are recorded relative to the build directory (the RPMs and the archive live there). */
    @Override
    public BuildRecord record() {
        return new BuildRecord(request.workDir(), "rpm", request.workDir().getParent());
    }

    @Override
    public void prepareInputs() throws TwoliterException, IOException {
        inputs = RpmInputs.collect(request, sourceCache);
    }

    @Override
    public void checkSdk(SdkImage sdk, BuildLog log) throws TwoliterException {
        archMacros = sdk.macrosFor(request.arch().rpmName());
        KitRepository.warnOnOtherSdk(KitRepository.sdks(request.kitRepositories()), sdk, request.module(), log);
    }

    @Override
    public Fingerprint fingerprint(SdkImage sdk) throws TwoliterException, IOException {
        Fingerprint f = new Fingerprint();
        f.put("plugin", request.toolVersion());
        f.put("script", Digests.sha256(RpmbuildStep.SCRIPT + RpmbuildStep.environment(request, inputs, archMacros)
                .render() + inputs.buildMacros() + BuildEnvironment.variables(request.sourceDateEpoch())));
        f.put("sdk", sdk.id());
        f.put("outputs", "RPMs, archive with " + RpmArchive.SOURCES_ENTRY + ", " + RpmArchive.SOURCES_ENTRY + " beside it");
        // The archive is the module's artifact, named after its version: a new version is a new output.
        f.put("artifact", request.archive().getFileName().toString());
        f.put("arch", request.arch().rpmName());
        f.put("sourceDateEpoch", request.sourceDateEpoch().map(i -> Long.toString(i.getEpochSecond()))
                .orElse("changelog"));
        f.putFile("spec:" + inputs.spec().getFileName(), inputs.spec());
        for (Map.Entry<String, Path> source : inputs.sources().entrySet()) {
            f.put("source:" + source.getKey(), Digests.sha256(source.getValue())
                    + (Files.isExecutable(source.getValue()) ? " executable" : ""));
        }
        String arch = request.arch().rpmName();
        for (Map.Entry<String, Path> dependency : inputs.dependencies().entrySet()) {
            if (dependency.getKey().endsWith(".rpm")) {
                if (RpmFileName.isFor(dependency.getKey(), arch)) {
                    f.putFile("dependency:" + dependency.getKey(), dependency.getValue());
                }
                continue;
            }
            RpmArchive.digestsFor(dependency.getValue(), arch, request.module())
                    .forEach((rpm, sha256) -> f.put("dependency:" + dependency.getKey() + "/" + rpm, sha256));
        }
        for (KitRepository kit : request.kitRepositories()) {
            f.put("kit:" + kit.coordinates(), kit.payloadSha256());
        }
        // The vendor archives follow from the lock files, which are sources (or inside one).
        f.put("vendoring", vendoring == null ? "off" : "on");
        for (VendorDeclaration d : vendorDeclarations) {
            f.put("vendor:" + d.fileName(), d.kind().id() + " " + d.root().orElse("(top directory)"));
        }
        return f;
    }

    @Override
    public RpmBuildResult upToDate(BuildRecord record) {
        return moduleArchive().fromRecord(record);
    }

    @Override
    public RpmBuildResult runSteps(StepContext steps, Fingerprint fingerprint) throws TwoliterException, IOException {
        if (vendoring != null) {
            Vendoring.Result result = vendoring.run(vendorTrees(), steps);
            inputs = inputs.withSources(result.archives(), request);
            vendored = result.dependencies();
        }
        RpmbuildStep.run(steps, request, inputs, archMacros);
        return moduleArchive().write(collectRpms(), sources());
    }

    @Override
    public Fingerprint outputs(RpmBuildResult result, BuildRecord record) throws IOException {
        return ModuleArchive.outputs(result, record);
    }

    private ModuleArchive moduleArchive() {
        return new ModuleArchive(request.archive(), sourcesFile(), request.sourceDateEpoch().orElse(Instant.EPOCH));
    }

    /** The sources list, beside the archive: the module's artifact for all arches is made from it. */
    private Path sourcesFile() {
        return request.workDir().resolve(RpmArchive.SOURCES_ENTRY);
    }

    private List<VendorTree> vendorTrees() throws TwoliterException, IOException {
        Map<String, Path> moduleFiles = new TreeMap<>(inputs.sources());
        request.externalSources().forEach(e -> moduleFiles.remove(e.fileName()));
        List<VendorTree> trees = new ArrayList<>(VendorTrees.inModuleSources(moduleFiles));
        for (VendorDeclaration d : vendorDeclarations) {
            Path file = inputs.sources().get(d.fileName());
            if (file == null) {
                throw new RpmBuildException(request.module() + ": " + d.fileName() + " is declared for vendoring, but"
                        + " the module has no source of that name.");
            }
            trees.add(VendorTrees.inArchive(new VendorTrees.ArchiveRequest(d.fileName(), file, d.kind(), d.root()),
                    request.module(), request.terms()));
        }
        return trees;
    }

    private List<Path> collectRpms() throws IOException, RpmBuildException {
        List<Path> rpms;
        try (Stream<Path> files = Files.list(request.rpmDir())) {
            rpms = files.filter(p -> p.getFileName().toString().endsWith(".rpm")).sorted().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            rpms = List.of();
        }
        if (rpms.isEmpty()) {
            throw new RpmBuildException(request.module() + ": rpmbuild succeeded but produced no binary RPM; does"
                    + " the spec have a %files section for its package? Log: " + request.workDir().resolve("rpmbuild.log"));
        }
        return rpms;
    }

}
