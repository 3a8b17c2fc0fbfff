package dev.twoliter.engine.image;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.build.ModuleBuild;
import dev.twoliter.engine.build.StepContext;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.sdk.SdkImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Assembles a variant's OS image from its packages. The steps, in order:
 * <ol>
 *   <li>{@link InstallRootStep}: dnf installs the packages into an empty root (local modules before
 *       kits);</li>
 *   <li>{@link ImageMetadata}: os-release, the application inventory and the merged default
 *       settings;</li>
 *   <li>{@link AssembleImageStep}: root filesystem, dm-verity, boot/EFI/private/data partitions, GPT
 *       disks, formats (grub.cfg and the kernel command line come from {@link BootConfig});</li>
 *   <li>{@link BuildManifestWriter}: the build manifest, the module's artifact.</li>
 * </ol>
 * Every identifier that would be random comes from {@link DiskIdentities}, seeded by
 * {@link ImageSeed}, so equal inputs give equal images. A new image step goes between these, as a
 * class of its own with its script next to it.
 */
public final class VariantBuild implements ModuleBuild<VariantBuildResult> {
    private final VariantBuildRequest request;
    private final Path staging;
    private Map<String, Path> localRpms;
    private PartitionPlan plan;
    private String archMacros;
    private String seed;

    public VariantBuild(VariantBuildRequest request) {
        this.request = request;
        this.staging = request.workDir().resolve("variant-staging");
    }

    @Override
    public Settings settings() {
        return new Settings(request.module(), request.sdkImage(), request.pullSdk(), request.force());
    }

    @Override
    public BuildRecord record() {
        return new BuildRecord(request.workDir(), "variant", request.outputDir());
    }

    @Override
    public void prepareInputs() throws TwoliterException, IOException {
        VariantInputs.check(request);
        AtomicFiles.deleteTree(staging);
        localRpms = stageLocalPackages(staging.resolve("local"));
        ImageOptions o = request.options();
        plan = PartitionPlan.of(o.osImageSizeGib(), o.dataImageSizeGib(), o.partitionPlan(), o.inPlaceUpdates());
    }

    @Override
    public void checkSdk(SdkImage sdk, BuildLog log) throws TwoliterException {
        archMacros = sdk.macrosFor(request.arch().rpmName());
        KitRepository.warnOnOtherSdk(KitRepository.sdks(request.kits()), sdk, request.module(), log);
    }

    /** Each input by name, so that a rebuild can say what changed. */
    @Override
    public Fingerprint fingerprint(SdkImage sdk) throws IOException {
        seed = ImageSeed.of(request, localRpms, sdk.id());
        Fingerprint f = new Fingerprint();
        f.put("plugin", request.toolVersion());
        f.put("scripts", Digests.sha256(InstallRootStep.SCRIPT + AssembleImageStep.SCRIPT));
        f.put("variant", request.module() + ":" + request.version() + ":" + request.buildId());
        f.put("sdk", sdk.id());
        f.put("arch", request.arch().rpmName());
        f.put("sourceDateEpoch", Long.toString(request.epoch().getEpochSecond()));
        f.put("options", request.options().toString());
        f.put("includedPackages", String.join(",", request.includedPackages()));
        for (Map.Entry<String, Path> rpm : localRpms.entrySet()) {
            f.putFile("local:" + rpm.getKey(), rpm.getValue());
        }
        for (int i = 0; i < request.kits().size(); i++) {
            KitRepository kit = request.kits().get(i);
            f.put("kit:" + i + ":" + kit.coordinates(), kit.payloadSha256());
        }
        for (Path settings : request.variantSettings()) {
            f.putFile("settings:" + settings.getFileName(), settings);
        }
        return f;
    }

    @Override
    public VariantBuildResult upToDate(BuildRecord record) {
        List<VariantBuildResult.Output> outputs = new ArrayList<>();
        Path manifest = null;
        for (String key : record.outputs().entries().keySet()) {
            String[] parts = key.split(":");
            Path file = record.output(key);
            if (parts[0].equals("manifest")) {
                manifest = file;
            } else {
                outputs.add(new VariantBuildResult.Output(parts[1], parts[2], file));
            }
        }
        outputs.sort(Comparator.comparing(o -> o.file().getFileName().toString()));
        return new VariantBuildResult(manifest, List.copyOf(outputs), true);
    }

    @Override
    public VariantBuildResult runSteps(StepContext steps, Fingerprint inputs) throws TwoliterException, IOException {
        DiskIdentities ids = DiskIdentities.of(seed, plan);
        InstallRootStep.Installation installation = InstallRootStep.run(steps, request, archMacros, localRpms,
                staging.resolve("install"));
        Path metadata = ImageMetadata.write(request, installation, staging.resolve("generated"));
        AssembleImageStep.ImageFacts facts = AssembleImageStep.run(steps, request, plan, ids, installation.rootTar(),
                metadata, staging.resolve("image"));
        List<VariantBuildResult.Output> outputs = collectOutputs();
        Path manifest = BuildManifestWriter.write(request, plan, ids, facts, installation.packages(), outputs);
        AtomicFiles.deleteTree(installation.rootTar().getParent());
        return new VariantBuildResult(manifest, outputs, false);
    }

    @Override
    public Fingerprint outputs(VariantBuildResult result, BuildRecord record) throws IOException {
        Fingerprint recorded = new Fingerprint();
        recorded.putFile(record.key("manifest", result.buildManifest()), result.buildManifest());
        for (VariantBuildResult.Output out : result.outputs()) {
            recorded.putFile(record.key("output:" + out.classifier() + ":" + out.type(), out.file()), out.file());
        }
        return recorded;
    }

    @Override
    public void cleanUp() throws IOException {
        AtomicFiles.deleteTree(staging);
    }

    private Map<String, Path> stageLocalPackages(Path dir) throws TwoliterException {
        Map<String, Path> rpms = new TreeMap<>();
        for (Map.Entry<String, Path> pkg : new TreeMap<>(request.localPackages()).entrySet()) {
            for (Path rpm : RpmArchive.unpack(pkg.getValue(), dir.resolve(pkg.getKey().replace(':', '_')),
                    request.module())) {
                rpms.put(rpm.getFileName().toString(), rpm);
            }
        }
        return rpms;
    }

    /** The image files, each with the classifier and type it is published under. */
    private List<VariantBuildResult.Output> collectOutputs() throws IOException {
        List<VariantBuildResult.Output> outputs = new ArrayList<>();
        String base = request.baseName() + "-";
        try (Stream<Path> files = Files.list(request.outputDir())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith(base)) {
                    continue;
                }
                String rest = name.substring(base.length());
                int dot = rest.indexOf('.');
                outputs.add(new VariantBuildResult.Output(rest.substring(0, dot), rest.substring(dot + 1), file));
            }
        }
        return outputs;
    }
}
