package dev.twoliter.maven;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.image.ImageOptions;
import dev.twoliter.engine.image.PartitionPlan;
import dev.twoliter.engine.image.VariantBuild;
import dev.twoliter.engine.image.VariantBuildRequest;
import dev.twoliter.engine.image.VariantBuildResult;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.kit.KitsInUse;
import dev.twoliter.engine.io.Digests;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Assembles a {@code variant}: an OS disk image (GPT, A/B banks, dm-verity protected root, boot and
 * data partitions) from the variant's rpm modules and kits, plus the update payloads, the application
 * inventory and a build manifest (the module's artifact).
 */
@Mojo(name = "variant", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class VariantMojo extends AbstractTwoliterMojo {
    @Component
    private MavenProjectHelper projectHelper;

    /** Names of the packages to install; their Requires are resolved across local packages and kits. */
    @Parameter(required = true)
    private List<String> includedPackages;

    /** Image formats: raw, qcow2, vmdk (any number). */
    @Parameter(property = "twoliter.imageFormats", defaultValue = "raw")
    private List<String> imageFormats;

    /** Compression of raw images and update payloads: zstd, lz4 or none. */
    @Parameter(property = "twoliter.imageCompression", defaultValue = "zstd")
    private String imageCompression;

    /** Disk sizes, partition plan and A/B banks. */
    @Parameter
    private ImageLayout imageLayout = new ImageLayout();

    /** Root filesystem: ext4 or erofs. */
    @Parameter(defaultValue = "ext4")
    private String rootFilesystem;

    /** Kernel parameters, placed before the ones the image needs (root, dm-verity). */
    @Parameter
    private List<String> kernelParameters = List.of();

    /** The OS name in os-release and the boot menu. */
    @Parameter(defaultValue = "${project.name}")
    private String prettyName;

    /** The variant's own default settings: TOML files here override what packages ship. */
    @Parameter(defaultValue = "${project.basedir}/settings.d")
    private File settingsDirectory;

    /**
     * Whether the packages' install scriptlets run while the image is built: {@code skip} (no package
     * code runs at build time) or {@code run} (they run, chrooted into the image root, in a container
     * of their own; what the build records about the packages comes from a pass without them).
     */
    @Parameter(property = "twoliter.packageScriptlets", defaultValue = "skip")
    private String packageScriptlets;

    /** BUILD_ID in os-release; default: derived from the build's inputs. */
    @Parameter(property = "twoliter.buildId")
    private String buildId;

    @Override
    void build(BuildLog log) throws TwoliterException, IOException {
        ImageOptions options = options();
        MavenKits kits = kits();
        List<KitRepository> kitRepositories = KitsInUse.repositories(kitGraph(kits, log), kits, kitCache(), arch, log);
        VariantBuildResult result = new VariantBuild(log).run(request(options, kitRepositories));
        project.getArtifact().setFile(result.buildManifest().toFile());
        for (VariantBuildResult.Output output : result.outputs()) {
            projectHelper.attachArtifact(project, output.type(), output.classifier(), output.file().toFile());
        }
        log.info(module() + ": " + result.outputs().size() + " image file(s) in " + result.buildManifest().getParent());
    }

    private ImageOptions options() throws TwoliterException {
        LinkedHashSet<String> formats = new LinkedHashSet<>();
        for (String f : imageFormats) {
            String format = f.trim().toLowerCase(Locale.ROOT);
            if (!ImageOptions.FORMATS.contains(format)) {
                throw new TwoliterException(module() + ": unknown image format '" + f + "' (use raw, qcow2 or vmdk)");
            }
            formats.add(format);
        }
        check(ImageOptions.COMPRESSIONS.contains(imageCompression), "imageCompression", imageCompression, "zstd, lz4 or none");
        check(ImageOptions.ROOT_FILESYSTEMS.contains(rootFilesystem), "rootFilesystem", rootFilesystem, "ext4 or erofs");
        check(List.of("split", "unified").contains(imageLayout.partitionPlan), "partitionPlan", imageLayout.partitionPlan,
                "split or unified");
        check(List.of("skip", "run").contains(packageScriptlets), "packageScriptlets", packageScriptlets, "skip or run");
        return new ImageOptions(imageLayout.osImageSizeGib, imageLayout.dataImageSizeGib,
                PartitionPlan.Plan.valueOf(imageLayout.partitionPlan.toUpperCase(Locale.ROOT)),
                imageLayout.inPlaceUpdates, rootFilesystem, formats, imageCompression,
                nonNull(kernelParameters),
                prettyName == null || prettyName.isBlank() ? project.getArtifactId() : prettyName,
                ImageOptions.Scriptlets.valueOf(packageScriptlets.toUpperCase(Locale.ROOT)));
    }

    /** An empty XML element gives a null entry; it must reach validation as an (invalid) empty value. */
    private static List<String> nonNull(List<String> values) {
        return values == null ? List.of() : values.stream().map(v -> v == null ? "" : v).toList();
    }

    private void check(boolean ok, String parameter, String value, String allowed) throws TwoliterException {
        if (!ok) {
            throw new TwoliterException(module() + ": <" + parameter + "> is '" + value + "'; use " + allowed + ".");
        }
    }

    private VariantBuildRequest request(ImageOptions options, List<KitRepository> kitRepositories)
            throws TwoliterException, IOException {
        Map<String, Path> local = new TreeMap<>();
        for (Artifact a : project.getArtifacts()) {
            if ("rpm".equals(a.getType()) && a.getFile() != null) {
                local.put(a.getGroupId() + ":" + a.getArtifactId(), a.getFile().toPath());
            }
        }
        List<Path> settings = List.of();
        if (settingsDirectory.isDirectory()) {
            try (Stream<Path> files = Files.list(settingsDirectory.toPath())) {
                settings = files.filter(p -> p.toString().endsWith(".toml")).sorted().toList();
            }
        }
        String version = project.getVersion();
        // The default build id depends on what goes into the image, never on where the checkout is.
        StringBuilder inputs = new StringBuilder(module() + ":" + version);
        for (Map.Entry<String, Path> pkg : local.entrySet()) {
            inputs.append(':').append(pkg.getKey()).append('=').append(Digests.sha256(pkg.getValue()));
        }
        kitRepositories.forEach(k -> inputs.append(':').append(k.payloadSha256()));
        String id = buildId != null && !buildId.isBlank() ? buildId : Digests.sha256(inputs.toString()).substring(0, 8);
        return new VariantBuildRequest(module(), project.getArtifactId().toLowerCase(Locale.ROOT), version, id,
                nonNull(includedPackages),
                local, kitRepositories, settings, options, arch, sdkImage, pullSdk, dockerHost, buildTimestamp(),
                targetDir().resolve("twoliter"), targetDir().resolve("image"), project.getBuild().getFinalName(),
                timeout(), force, plugin.getVersion());
    }
}
