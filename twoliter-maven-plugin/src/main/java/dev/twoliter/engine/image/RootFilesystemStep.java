package dev.twoliter.engine.image;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.StepEnvironment;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * The root filesystem step (root-filesystem.sh): the image's metadata goes into the installed root,
 * {@code /boot} moves out of it, and the root becomes an ext4 or erofs filesystem with its
 * dm-verity hash tree. The step reports only what it measured: the root hash, the number of data
 * blocks and whether a kernel was installed.
 */
final class RootFilesystemStep {
    static final String SCRIPT = StepScripts.script(RootFilesystemStep.class, "image-functions.sh",
            "root-filesystem.sh");
    private static final long MAX_FACTS_BYTES = 4096;

    private RootFilesystemStep() {}

    /** What root-filesystem.sh reads. */
    record Environment(ImageOptions.RootFilesystem filesystem, PartitionPlan plan, DiskIdentities ids,
            Instant sourceDateEpoch) implements StepEnvironment {
        @Override
        public Map<String, String> render() {
            Map<String, String> env = StepEnvironment.common();
            env.put("SDE", Long.toString(sourceDateEpoch.getEpochSecond()));
            env.put("ROOT_FS", filesystem.toString());
            env.put("ROOT_MIB", Long.toString(plan.osPartition("BOTTLEROCKET-ROOT-A").sizeMib()));
            env.put("HASH_MIB", Long.toString(plan.osPartition("BOTTLEROCKET-HASH-A").sizeMib()));
            env.put("SALT", ids.salt());
            env.put("UUID_ROOT_FS", ids.uuids().get("root-fs"));
            env.put("UUID_VERITY", ids.uuids().get("verity"));
            return env;
        }
    }

    /**
     * The measured root and the files the next steps take: the compressed root filesystem, its hash
     * tree, and the root's {@code /boot} and {@code /boot/efi} as tars.
     */
    record Root(Path image, Path verity, Path bootFiles, Path efiFiles, String rootHash, long dataBlocks,
            boolean hasKernel) {}

    static Root run(StepContext steps, VariantBuildRequest request, PartitionPlan plan, DiskIdentities ids,
            Path rootTar, Path metadata, Path out) throws TwoliterException, IOException {
        AtomicFiles.deleteTree(out);
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("/work/in/root.tar", rootTar);
        for (String f : ImageMetadata.FILES) {
            inputs.put("/work/in/" + f, metadata.resolve(f));
        }
        ImageOptions o = request.options();
        steps.log().info("Making the " + o.rootFilesystem() + " root of " + request.module() + " and its dm-verity"
                + " hash tree");
        ContainerStep step = new ContainerStep(request.module().replace(':', '-') + "-rootfs", steps.sdk(), SCRIPT,
                new Environment(o.rootFilesystem(), plan, ids, request.epoch()).render(), inputs, Map.of(),
                "/work/out", out, request.workDir().resolve("variant-rootfs.log"), request.timeout(),
                line -> steps.log().info("[rootfs] " + line));
        StepOutcome outcome = steps.run(step, request.workDir().resolve("scratch"));
        ImageStepFailure.failUnlessSucceeded(request, plan, outcome, "making the root filesystem");
        return readFacts(out, outcome);
    }

    /** Reads what the step measured, refusing anything that is not a root hash, a block count and a flag. */
    static Root readFacts(Path out, StepOutcome outcome) throws TwoliterException, IOException {
        Path file = out.resolve("image-facts.toml");
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_FACTS_BYTES) {
            throw new TwoliterException("the root filesystem step ended without writing " + file.getFileName()
                    + " (the root hash and block count), or wrote more than 4 KiB; check that the SDK image follows"
                    + " docs/sdk-contract.md. Full log: " + outcome.logFile());
        }
        TomlParseResult toml = Toml.parse(file);
        Object hash = toml.get("root-hash");
        Object blocks = toml.get("data-blocks");
        Object kernel = toml.get("kernel");
        if (toml.hasErrors() || !(hash instanceof String h) || !Syntax.isSha256(h) || !(blocks instanceof Long b)
                || b <= 0 || !(kernel instanceof Boolean k)) {
            throw new TwoliterException("the root filesystem step reported no valid root hash, block count and kernel"
                    + " flag in " + file + ". Full log: " + outcome.logFile());
        }
        for (String name : new String[] {"root.img.lz4", "verity.img", "boot.tar", "efi.tar"}) {
            if (!Files.isRegularFile(out.resolve(name))) {
                throw new TwoliterException("the root filesystem step left no " + name + ". Full log: "
                        + outcome.logFile());
            }
        }
        return new Root(out.resolve("root.img.lz4"), out.resolve("verity.img"), out.resolve("boot.tar"),
                out.resolve("efi.tar"), h, b, k);
    }
}
