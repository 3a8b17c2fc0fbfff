package dev.twoliter.engine.image;

import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Json;
import dev.twoliter.engine.settings.SettingsCheck;
import dev.twoliter.engine.settings.SettingsExtension;
import dev.twoliter.engine.settings.SettingsRendering;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The variant's build manifest ({@code <base>.variant.json}, the module's artifact): what the image
 * is (variant, layout, dm-verity parameters and root hash, every partition with its GUIDs), what is
 * in it (each package and where it came from, the settings extensions and the configuration files
 * rendered from their defaults) and the digest of every file delivered.
 */
final class BuildManifestWriter {
    private BuildManifestWriter() {}

    static Path write(VariantBuildRequest request, PartitionPlan plan, DiskIdentities ids,
            RootFilesystemStep.Root facts, List<InstallRootStep.InstalledPackage> packages,
            SettingsCheck.Result settings, List<VariantBuildResult.Output> outputs, Optional<SecureBootStep.Signed> secureBoot) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format-version", 1);
        m.put("variant", variant(request));
        Map<String, Object> image = image(request, plan, ids, facts);
        secureBoot.ifPresent(signed -> image.put("secure-boot", secureBoot(signed)));
        m.put("image", image);
        m.put("kits", kits(request));
        m.put("packages", packages(packages));
        m.put("settings", settings(settings));
        m.put("outputs", outputs(outputs));
        update(request, outputs).ifPresent(u -> m.put("update", u));
        Path manifest = request.outputDir().resolve(request.baseName() + ".variant.json");
        AtomicFiles.writeString(manifest, Json.render(m));
        return manifest;
    }

    /** The extensions and the configuration files rendered into the image, with their digests. */
    private static Map<String, Object> settings(SettingsCheck.Result settings) {
        List<Object> extensions = new ArrayList<>();
        for (SettingsExtension e : settings.extensions().values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", e.name());
            entry.put("version", e.version());
            entry.put("source", e.source());
            extensions.add(entry);
        }
        List<Object> files = new ArrayList<>();
        for (SettingsRendering.RenderedFile f : settings.files()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", f.path());
            entry.put("mode", f.mode());
            entry.put("extension", f.extension());
            entry.put("sha256", f.sha256());
            files.add(entry);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("defaults-sha256", Digests.sha256(settings.defaults().toml()));
        m.put("extensions", extensions);
        m.put("rendered-files", files);
        return m;
    }

    private static Map<String, Object> variant(VariantBuildRequest request) {
        Map<String, Object> variant = new LinkedHashMap<>();
        variant.put("module", request.module());
        variant.put("variant-id", request.variantId());
        variant.put("version", request.version());
        variant.put("build-id", request.buildId());
        variant.put("arch", request.arch().rpmName());
        variant.put("pretty-name", request.options().prettyName());
        return variant;
    }

    private static Map<String, Object> image(VariantBuildRequest request, PartitionPlan plan, DiskIdentities ids,
            RootFilesystemStep.Root facts) throws IOException {
        ImageOptions o = request.options();
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("partition-plan", o.partitionPlan().name().toLowerCase(Locale.ROOT));
        image.put("in-place-updates", o.inPlaceUpdates());
        image.put("os-image-size-gib", o.osImageSizeGib());
        image.put("data-image-size-gib", o.dataImageSizeGib());
        image.put("root-filesystem", o.rootFilesystem().toString());
        image.put("bootloader", o.bootloader().toString());
        image.put("firmware", BootableImage.firmware(o.bootloader(), request.arch()));
        image.put("kernel", facts.hasKernel());
        image.put("kernel-command-line", BootConfig.kernelCommandLine(o.kernelParameters(), facts.dataBlocks(),
                facts.rootHash(), ids.salt(), ids.partition(BootConfig.anchorLabel(plan))));
        Map<String, Object> verity = new LinkedHashMap<>();
        verity.put("root-hash", facts.rootHash());
        verity.put("salt", ids.salt());
        verity.put("hash-algorithm", "sha256");
        verity.put("data-block-size", 4096);
        verity.put("hash-block-size", 4096);
        verity.put("data-blocks", facts.dataBlocks());
        if (request.rootHashSigner().isPresent()) {
            verity.put("root-hash-signature", rootHashSignature(request));
        }
        image.put("dm-verity", verity);
        image.put("os-disk", disk(plan.osDisk(), plan.osDiskMib(), ids.uuids().get("disk"), ids.uuids()));
        if (!plan.dataDisk().isEmpty()) {
            image.put("data-disk", disk(plan.dataDisk(), plan.dataDiskMib(), ids.uuids().get("data-disk"),
                    Map.of("part:BOTTLEROCKET-DATA", PartitionPlan.DATA_PARTITION_GUID)));
        }
        return image;
    }

    /** The signature file and what the kernel needs to check it; the key never appears here. */
    private static Map<String, Object> rootHashSignature(VariantBuildRequest request) throws IOException {
        Path file = RootHashSignature.file(request);
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("file", file.getFileName().toString());
        signature.put("sha256", Digests.sha256(file));
        signature.put("format", "PKCS#7 detached signature (DER) of the root-hash hex string, without signed"
                + " attributes, for dm-verity's root_hash_sig_key_desc");
        signature.put("certificate-subject", request.rootHashSigner().get().subject());
        signature.put("certificate-sha256", request.rootHashSigner().get().certificateSha256());
        return signature;
    }

    /** The signed EFI executables; the key never appears here. */
    private static Map<String, Object> secureBoot(SecureBootStep.Signed signed) {
        Map<String, Object> entry = new LinkedHashMap<>();
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("path", signed.path());
        file.put("loader", signed.loader());
        file.put("sha256", signed.sha256());
        List<Object> files = new java.util.ArrayList<>(List.of(file));
        for (SecureBootStep.SignedFile more : signed.started()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", more.path());
            f.put("loader", more.loader());
            f.put("sha256", more.sha256());
            files.add(f);
        }
        entry.put("signed", files);
        entry.put("format", "Authenticode (PKCS#7 SignedData, SHA-256) in the PE certificate table");
        entry.put("certificate-subject", signed.subject());
        entry.put("certificate-sha256", signed.certificateSha256());
        return entry;
    }

    /** Each kit the image drew from, with what checking its signature established. */
    private static List<Object> kits(VariantBuildRequest request) {
        List<Object> kits = new ArrayList<>();
        for (dev.twoliter.engine.kit.KitRepository kit : request.kits()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("kit", kit.coordinates().toString());
            e.put("payload-sha256", kit.payloadSha256());
            e.put("signature", signer(kit));
            kits.add(e);
        }
        return kits;
    }

    /** "signed by <fingerprint>", "unverified" (accepted without a verified signature) or "not checked". */
    static String signer(dev.twoliter.engine.kit.KitRepository kit) {
        return kit.signature().signer().map(s -> "signed by " + s)
                .orElse(kit.signature().checked() ? "unverified" : "not checked");
    }

    private static List<Object> packages(List<InstallRootStep.InstalledPackage> packages) {
        List<Object> list = new ArrayList<>();
        for (InstallRootStep.InstalledPackage p : packages) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", p.name());
            e.put("epoch", p.epoch());
            e.put("version", p.version());
            e.put("release", p.release());
            e.put("arch", p.arch());
            e.put("source", p.source());
            list.add(e);
        }
        return list;
    }

    /**
     * The bank images as an update repository will list them (docs/updates.md), from {@link
     * UpdateImages}; absent for an image with one bank, which is not published as an update.
     */
    private static Optional<Map<String, Object>> update(VariantBuildRequest request,
            List<VariantBuildResult.Output> outputs) {
        List<UpdateImages.Image> published = UpdateImages.of(request, outputs);
        if (published.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> images = new LinkedHashMap<>();
        for (UpdateImages.Image image : published) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("target", image.target());
            e.put("sha256", image.sha256());
            e.put("stored-as", image.storedAs());
            images.put(image.image(), e);
        }
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("version", request.version());
        update.put("images", images);
        return Optional.of(update);
    }

    private static List<Object> outputs(List<VariantBuildResult.Output> outputs) throws IOException {
        List<Object> files = new ArrayList<>();
        for (VariantBuildResult.Output out : outputs) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", out.file().getFileName().toString());
            e.put("classifier", out.classifier());
            e.put("sha256", out.sha256());
            e.put("size", Files.size(out.file()));
            files.add(e);
        }
        return files;
    }

    private static Map<String, Object> disk(List<PartitionPlan.Partition> partitions, long sizeMib, String guid,
            Map<String, String> guids) {
        Map<String, Object> disk = new LinkedHashMap<>();
        disk.put("size-mib", sizeMib);
        disk.put("disk-guid", guid);
        List<Object> parts = new ArrayList<>();
        for (PartitionPlan.Partition p : partitions) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("number", p.number());
            e.put("label", p.gptName());
            e.put("type-guid", p.type());
            e.put("partition-guid", guids.get("part:" + p.label()));
            e.put("start-mib", p.startMib());
            e.put("size-mib", p.sizeMib());
            if (p.label().equals("BOTTLEROCKET-BOOT-A")) {
                e.put("attribute-bits", PartitionPlan.BOOT_A_ATTRIBUTE_BITS);
            }
            parts.add(e);
        }
        disk.put("partitions", parts);
        return disk;
    }
}
