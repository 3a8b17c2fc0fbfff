package dev.twoliter.engine.image;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Json;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.DockerEngine;
import dev.twoliter.engine.sdk.SdkImage;
import dev.twoliter.engine.sdk.PackageFacts;
import dev.twoliter.engine.sdk.StepExit;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Assembles a variant's OS image from its packages: install the packages into an empty root
 * (dnf, with local modules before kits), merge the default settings, then in a second SDK step
 * build the root filesystem, its dm-verity hash tree, the boot and EFI partitions and the GPT
 * disk(s), and deliver them in the requested formats. Everything that would be random (UUIDs,
 * GUIDs, salt, times) is derived from the inputs, so equal inputs give equal images.
 */
public final class VariantBuild {
    private static final String LOCAL_REPO = "local";
    private static final Pattern NO_MATCH = Pattern.compile("No match for argument: (\\S+)");
    private static final Pattern NOTHING_PROVIDES = Pattern.compile("nothing provides (.+?) needed by (\\S+)");
    /** dnf's transaction test, for two new packages and for a new one against an installed one. */
    private static final Pattern CONFLICT = Pattern.compile(
            "file (\\S+) (?:conflicts between attempted installs of (\\S+) and (\\S+)|from install of (\\S+) conflicts with file from package (\\S+))");

    private final BuildLog log;

    public VariantBuild(BuildLog log) {
        this.log = log;
    }

    public VariantBuildResult run(VariantBuildRequest request) throws TwoliterException, IOException {
        VariantInputs.check(request);
        Path staging = request.workDir().resolve("variant-staging");
        AtomicFiles.deleteTree(staging);
        Map<String, Path> localRpms = stageLocalPackages(request, staging.resolve("local"));
        PartitionPlan plan = PartitionPlan.of(request.options().osImageSizeGib(), request.options().dataImageSizeGib(),
                request.options().partitionPlan(), request.options().inPlaceUpdates());

        DockerEngine docker = DockerEngine.connect(request.dockerHost(), log);
        SdkImage sdk = docker.sdkImage(request.sdkImage(), request.pullSdk(), log);
        String archMacros = sdk.macrosFor(request.arch());
        KitRepository.warnOnOtherSdk(KitRepository.sdks(request.kits()), sdk, request.module(), log);

        Fingerprint inputs = fingerprint(request, localRpms, sdk);
        BuildRecord record = new BuildRecord(request.workDir(), "variant", request.outputDir());
        if (!request.force() && record.isUpToDate(inputs, request.module(), log)) {
            log.info(request.module() + " is up to date; no container started");
            AtomicFiles.deleteTree(staging);
            return recordedResult(record);
        }
        record.invalidate();
        String seed = ImageSeed.of(request, localRpms, sdk.id());

        Path rootStep = request.workDir().resolve("variant-root");
        Installation installation = installRoot(request, docker, sdk, archMacros, localRpms, rootStep,
                staging.resolve("install"));
        List<InstalledPackage> packages = installation.packages();
        Path generated = writeImageMetadata(request, installation, rootStep, staging.resolve("generated"));
        ImageFacts facts = assembleImage(request, docker, sdk, plan, seed, rootStep, generated);
        List<VariantBuildResult.Output> outputs = collectOutputs(request);
        Path manifest = writeBuildManifest(request, plan, facts, packages, outputs);
        recordOutputs(record, inputs, manifest, outputs);
        AtomicFiles.deleteTree(staging);
        AtomicFiles.deleteTree(rootStep);
        return new VariantBuildResult(manifest, outputs, false);
    }

    private Map<String, Path> stageLocalPackages(VariantBuildRequest request, Path dir) throws TwoliterException {
        Map<String, Path> rpms = new TreeMap<>();
        for (Map.Entry<String, Path> pkg : new TreeMap<>(request.localPackages()).entrySet()) {
            for (Path rpm : RpmArchive.unpack(pkg.getValue(), dir.resolve(pkg.getKey().replace(':', '_')), request.module())) {
                rpms.put(rpm.getFileName().toString(), rpm);
            }
        }
        return rpms;
    }

    private Fingerprint fingerprint(VariantBuildRequest request, Map<String, Path> localRpms, SdkImage sdk)
            throws IOException {
        Fingerprint f = new Fingerprint();
        f.put("plugin", request.toolVersion());
        f.put("scripts", Digests.sha256(INSTALL_SCRIPT + IMAGE_SCRIPT));
        f.put("variant", request.module() + ":" + request.version() + ":" + request.buildId());
        f.put("sdk", sdk.id());
        f.put("arch", request.arch());
        f.put("sourceDateEpoch", Long.toString(epoch(request).getEpochSecond()));
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

    private static VariantBuildResult recordedResult(BuildRecord record) {
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
        outputs.sort(java.util.Comparator.comparing(o -> o.file().getFileName().toString()));
        return new VariantBuildResult(manifest, List.copyOf(outputs), true);
    }

    // ---- step 1: the root filesystem's packages --------------------------------------------------

    /** A package installed into the image and where it came from. */
    record InstalledPackage(String name, long epoch, String version, String release, String arch, String source,
            String publisher, String group, String url, String summary) {}

    private static final String INSTALL_SCRIPT = StepScripts.script(VariantBuild.class, "install-root.sh");

    /**
     * Installs the packages into an empty root. The record of what was installed always comes from
     * a pass in which no package code ran; with scriptlets switched on, a second pass in a
     * throwaway container runs them and yields only the root tree.
     */
    private Installation installRoot(VariantBuildRequest request, DockerEngine docker, SdkImage sdk,
            String archMacros, Map<String, Path> localRpms, Path out, Path staging) throws TwoliterException, IOException {
        AtomicFiles.deleteTree(out);
        Map<String, Path> inputs = new LinkedHashMap<>();
        localRpms.forEach((name, file) -> inputs.put("/work/local/" + name, file));
        Files.createDirectories(staging);
        inputs.put("/work/in/packages.txt", Files.writeString(staging.resolve("packages.txt"),
                String.join("\n", request.includedPackages()) + "\n"));
        inputs.put(StepScripts.PACKAGE_FACTS, StepScripts.packageFacts(staging));
        Map<String, Path> kits = new LinkedHashMap<>();
        request.kits().forEach(k -> kits.put("/work/kits/" + k.repoId(), k.directory()));
        log.info("Installing " + String.join(", ", request.includedPackages()) + " for variant " + request.module()
                + " from " + describeSources(request));
        ContainerStep step = new ContainerStep(request.module().replace(':', '-') + "-root", sdk, INSTALL_SCRIPT,
                installEnvironment(request, archMacros, false), inputs, kits, "/work/out", out,
                request.workDir().resolve("variant-install.log"), request.timeout(),
                line -> log.info("[install] " + line));
        StepOutcome outcome = docker.run(step, request.workDir().resolve("scratch"));
        if (!outcome.succeeded()) {
            throw installFailure(request, outcome);
        }
        PackageFacts.Installed installed = PackageFacts.readInstalled(out.resolve("packages.toml"));
        List<InstalledPackage> packages = describe(request, installed);
        if (request.options().scriptlets() == ImageOptions.Scriptlets.RUN) {
            Path withScriptlets = out.resolveSibling(out.getFileName() + "-scriptlets");
            AtomicFiles.deleteTree(withScriptlets);
            log.info("Installing again with the packages' scriptlets, in a container of their own");
            ContainerStep scriptletStep = new ContainerStep(request.module().replace(':', '-') + "-scriptlets", sdk,
                    INSTALL_SCRIPT, installEnvironment(request, archMacros, true), inputs, kits, "/work/out",
                    withScriptlets, request.workDir().resolve("variant-scriptlets.log"), request.timeout(),
                    line -> log.info("[scriptlets] " + line));
            StepOutcome scriptletOutcome = docker.run(scriptletStep, request.workDir().resolve("scratch"));
            if (!scriptletOutcome.succeeded()) {
                throw installFailure(request, scriptletOutcome);
            }
            AtomicFiles.moveIntoPlace(withScriptlets.resolve("root.tar"), out.resolve("root.tar"));
            AtomicFiles.deleteTree(withScriptlets);
        } else {
            List<String> withScriptlets = installed.packages().stream().filter(p -> !p.scriptlets().isEmpty())
                    .map(p -> p.nevra().name() + " (" + String.join(", ", p.scriptlets()) + ")").toList();
            if (!withScriptlets.isEmpty()) {
                log.info(request.module() + ": the scriptlets of " + withScriptlets.size() + " package(s) were not run: "
                        + String.join(", ", withScriptlets) + ". Package code runs at build time only when the"
                        + " variant's packageScriptlets option says run.");
            }
        }
        return new Installation(packages, installed.settingsFragments());
    }

    /** What the install step left: the packages and the settings fragments they ship. */
    private record Installation(List<InstalledPackage> packages, List<PackageFacts.SettingsFragment> fragments) {}

    private static Map<String, String> installEnvironment(VariantBuildRequest request, String archMacros,
            boolean runScriptlets) {
        Map<String, String> env = environment(request);
        env.put("ARCH_MACROS", archMacros);
        env.put("FORCE_ARCH", Arch.forceArch(request.arch()));
        env.put("KIT_REPOS", String.join("\n", request.kits().stream().map(KitRepository::repoId).toList()));
        env.put("KIT_PRIORITY_BASE", "10");
        env.put("FRAGMENTS_DIR", SettingsDefaults.FRAGMENTS_DIR);
        env.put("SCRIPTLETS", runScriptlets ? "run" : "skip");
        return env;
    }

    private static String describeSources(VariantBuildRequest request) {
        List<String> sources = new ArrayList<>();
        if (!request.localPackages().isEmpty()) {
            sources.add("local modules " + String.join(", ", request.localPackages().keySet()));
        }
        request.kits().forEach(k -> sources.add("kit " + k.coordinates()));
        return sources.isEmpty() ? "nothing (the variant has no rpm or kit dependencies)" : String.join(", ", sources);
    }

    private TwoliterException installFailure(VariantBuildRequest request, StepOutcome outcome) {
        String text = outcome.logText();
        List<String> problems = new ArrayList<>();
        Matcher m = NO_MATCH.matcher(text);
        while (m.find()) {
            problems.add("package " + m.group(1) + " is in none of the variant's sources");
        }
        m = NOTHING_PROVIDES.matcher(text);
        while (m.find()) {
            problems.add(m.group(2) + " requires " + m.group(1) + ", which no package in the sources provides");
        }
        m = CONFLICT.matcher(text);
        while (m.find()) {
            problems.add("file " + m.group(1) + " is in both " + (m.group(2) != null ? m.group(2) : m.group(4)) + " and "
                    + (m.group(3) != null ? m.group(3) : m.group(5)));
        }
        String sources = " (sources, by priority: " + describeSources(request) + ")";
        if (!problems.isEmpty()) {
            return new TwoliterException(request.module() + ": cannot install the variant's packages: "
                    + String.join("; ", problems.stream().distinct().toList()) + sources + ". Full log: "
                    + outcome.logFile());
        }
        return new TwoliterException(request.module() + ": installing the variant's packages failed" + sources
                + ". Last lines of the log:\n    " + String.join("\n    ", outcome.logTail(30)) + "\nFull log: "
                + outcome.logFile());
    }

    /** Names the source of each package: the local modules or the kit whose repository dnf took it from. */
    private static List<InstalledPackage> describe(VariantBuildRequest request, PackageFacts.Installed installed)
            throws TwoliterException {
        Map<String, String[]> sources = new LinkedHashMap<>();
        sources.put(LOCAL_REPO, new String[] {"local module", request.module().split(":")[0]});
        for (KitRepository kit : request.kits()) {
            sources.put(kit.repoId(), new String[] {"kit " + kit.coordinates(), kit.coordinates().groupId()});
        }
        List<InstalledPackage> packages = new ArrayList<>();
        for (PackageFacts.InstalledPackage p : installed.packages()) {
            String[] source = sources.get(p.repository());
            if (source == null) {
                throw new TwoliterException(request.module() + ": dnf reports " + p.nevra() + " as installed from "
                        + Syntax.show(p.repository()) + ", which is none of the variant's sources ("
                        + describeSources(request) + ").");
            }
            PackageFacts.Nevra n = p.nevra();
            packages.add(new InstalledPackage(n.name(), n.epoch(), n.version(), n.release(), n.arch(), source[0],
                    source[1], p.group(), p.url(), p.summary()));
        }
        packages.sort(java.util.Comparator.comparing(InstalledPackage::name).thenComparing(InstalledPackage::arch));
        return packages;
    }

    // ---- between the steps: os-release, inventory, settings --------------------------------------

    private Path writeImageMetadata(VariantBuildRequest request, Installation installation, Path rootStep, Path dir)
            throws IOException, TwoliterException {
        Files.createDirectories(dir);
        ImageOptions o = request.options();
        Map<String, String> osRelease = new LinkedHashMap<>();
        osRelease.put("NAME", o.prettyName());
        osRelease.put("ID", request.variantId());
        osRelease.put("PRETTY_NAME", o.prettyName() + " " + request.version() + " (" + request.variantId() + ")");
        osRelease.put("VARIANT_ID", request.variantId());
        osRelease.put("VERSION_ID", VariantInputs.versionId(request.version()));
        osRelease.put("BUILD_ID", request.buildId());
        Files.writeString(dir.resolve("os-release"), OsRelease.render(osRelease));

        List<InstalledPackage> packages = installation.packages();
        String installedTime = epoch(request).toString();
        List<Object> content = new ArrayList<>();
        for (InstalledPackage p : packages) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Name", p.name());
            entry.put("Publisher", p.publisher());
            entry.put("Version", p.version());
            entry.put("Release", p.release());
            entry.put("Epoch", Long.toString(p.epoch()));
            entry.put("InstalledTime", installedTime);
            entry.put("ApplicationType", p.group());
            entry.put("Architecture", p.arch());
            entry.put("Url", p.url());
            entry.put("Summary", p.summary());
            entry.put("Source", p.source());
            content.add(entry);
        }
        Files.writeString(dir.resolve("application-inventory.json"), Json.render(Map.of("Content", content)));

        Files.writeString(dir.resolve("settings-defaults.toml"), SettingsDefaults.merge(settingsFragments(request,
                installation, rootStep), request.module()));
        return dir;
    }

    private static List<SettingsDefaults.Fragment> settingsFragments(VariantBuildRequest request,
            Installation installation, Path rootStep) {
        List<SettingsDefaults.Fragment> fragments = new ArrayList<>();
        for (PackageFacts.SettingsFragment f : installation.fragments()) {
            String owner = f.owner().isEmpty() ? "(no package)" : f.owner();
            fragments.add(new SettingsDefaults.Fragment("package " + owner + " /" + SettingsDefaults.FRAGMENTS_DIR + "/"
                    + f.file(), rootStep.resolve("settings.d").resolve(f.file()), false));
        }
        fragments.sort(java.util.Comparator.comparing(SettingsDefaults.Fragment::name));
        for (Path own : request.variantSettings().stream().sorted().toList()) {
            fragments.add(new SettingsDefaults.Fragment("variant settings.d/" + own.getFileName(), own, true));
        }
        return fragments;
    }

    // ---- step 2: filesystems, verity, partitions, disks -------------------------------------------

    /** What the image step reports back. */
    record ImageFacts(String rootHash, String salt, long dataBlocks, String kernelCommandLine, Map<String, String> uuids) {}

    private ImageFacts assembleImage(VariantBuildRequest request, DockerEngine docker, SdkImage sdk, PartitionPlan plan,
            String seed, Path rootStep, Path generated) throws TwoliterException, IOException {
        AtomicFiles.deleteTree(request.outputDir());
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("/work/in/root.tar", rootStep.resolve("root.tar"));
        for (String f : List.of("os-release", "application-inventory.json", "settings-defaults.toml")) {
            inputs.put("/work/in/" + f, generated.resolve(f));
        }
        Map<String, String> uuids = new TreeMap<>();
        for (String name : List.of("disk", "data-disk", "root-fs", "boot-fs", "private-fs", "data-fs", "verity")) {
            uuids.put(name, derivedUuid(seed, name));
        }
        for (PartitionPlan.Partition p : plan.osDisk()) {
            String guid = !p.type().equals(PartitionPlan.TYPE_DATA) ? derivedUuid(seed, "part:" + p.label())
                    : plan.dataDisk().isEmpty() ? PartitionPlan.DATA_PARTITION_GUID : PartitionPlan.DATA_FALLBACK_GUID;
            uuids.put("part:" + p.label(), guid);
        }
        String salt = HexFormat.of().formatHex(Digests.newDigest("SHA-256")
                .digest((seed + ":verity-salt").getBytes(StandardCharsets.UTF_8)));
        Map<String, String> env = environment(request);
        env.putAll(imageEnvironment(request, plan, uuids, salt, seed));
        log.info("Assembling the " + request.options().rootFilesystem() + " image of " + request.module() + " ("
                + plan.osDiskMib() + " MiB OS disk" + (plan.dataDisk().isEmpty() ? "" : ", " + plan.dataDiskMib()
                + " MiB data disk") + ")");
        ContainerStep step = new ContainerStep(request.module().replace(':', '-') + "-image", sdk, IMAGE_SCRIPT, env,
                inputs, Map.of(), "/work/out", request.outputDir(), request.workDir().resolve("variant-image.log"),
                request.timeout(), line -> log.info("[image] " + line));
        StepOutcome outcome = docker.run(step, request.workDir().resolve("scratch"));
        if (outcome.exitCode() == StepExit.TOO_SMALL.code()) {
            String detail = lastLineWith(outcome, "twoliter: too small:");
            String advice = detail.startsWith("EFI-SYSTEM")
                    ? "The EFI system partition has a fixed size (" + plan.osPartition("EFI-SYSTEM").sizeMib()
                            + " MiB); ship smaller files under /boot/efi"
                    : "Raise <imageLayout><osImageSizeGib> (now " + request.options().osImageSizeGib() + ")";
            throw new TwoliterException(request.module() + ": the image is too small for its content: " + detail + ". "
                    + advice + ". Full log: " + outcome.logFile());
        }
        if (!outcome.succeeded()) {
            throw new TwoliterException(request.module() + ": assembling the image failed"
                    + (outcome.exitCode() == StepExit.VERITY.code() ? " (dm-verity verification)" : "")
                    + ". Last lines of the log:\n    " + String.join("\n    ", outcome.logTail(30)) + "\nFull log: "
                    + outcome.logFile());
        }
        Map<String, String> facts = new TreeMap<>();
        for (String line : Files.readAllLines(request.outputDir().resolve("image.env"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        Files.delete(request.outputDir().resolve("image.env"));
        return new ImageFacts(facts.get("ROOT_HASH"), salt, Long.parseLong(facts.get("DATA_BLOCKS")),
                facts.get("KERNEL_CMDLINE"), uuids);
    }

    private static String lastLineWith(StepOutcome outcome, String marker) {
        String found = "see the log";
        for (String line : outcome.logText().split("\n")) {
            if (line.startsWith(marker)) {
                found = line.substring(marker.length()).trim();
            }
        }
        return found;
    }

    private Map<String, String> imageEnvironment(VariantBuildRequest request, PartitionPlan plan,
            Map<String, String> uuids, String salt, String seed) {
        ImageOptions o = request.options();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ROOT_FS", o.rootFilesystem());
        env.put("FORMATS", String.join(" ", o.formats().stream().sorted().toList()));
        env.put("COMPRESSION", o.compression());
        env.put("BASE", request.baseName());
        env.put("SALT", salt);
        env.put("ESP_ID", seed.substring(0, 8));
        env.put("VMDK_CID", seed.substring(8, 16));
        uuids.forEach((k, v) -> {
            if (!k.startsWith("part:")) {
                env.put("UUID_" + k.toUpperCase(java.util.Locale.ROOT).replace('-', '_'), v);
            }
        });
        env.put("KERNEL_PARAMETERS", String.join(" ", o.kernelParameters()));
        env.put("BOOT_A_PARTUUID", uuids.get("part:BOTTLEROCKET-BOOT-A"));
        env.put("MENU_TITLE_GRUB", GrubQuoting.quote(o.prettyName() + " " + request.version()));
        for (String label : List.of("EFI-SYSTEM", "BOTTLEROCKET-BOOT-A", "BOTTLEROCKET-ROOT-A", "BOTTLEROCKET-HASH-A",
                "BOTTLEROCKET-PRIVATE")) {
            PartitionPlan.Partition p = plan.osPartition(label);
            String key = label.replace("BOTTLEROCKET-", "").replace("-A", "").replace("-SYSTEM", "").replace('-', '_');
            env.put(key + "_START", Long.toString(p.startMib()));
            env.put(key + "_MIB", Long.toString(p.sizeMib()));
        }
        PartitionPlan.Partition data = plan.dataPartition();
        env.put("DATA_START", Long.toString(data.startMib()));
        env.put("DATA_MIB", Long.toString(data.sizeMib()));
        env.put("DATA_ON_OS_DISK", Boolean.toString(plan.dataDisk().isEmpty()));
        env.put("OS_DISK_MIB", Long.toString(plan.osDiskMib()));
        env.put("DATA_DISK_MIB", Long.toString(plan.dataDiskMib()));
        env.put("OS_SGDISK", sgdiskArguments(plan.osDisk(), uuids.get("disk"), uuids, true));
        env.put("DATA_SGDISK", plan.dataDisk().isEmpty() ? "" : sgdiskArguments(plan.dataDisk(), uuids.get("data-disk"),
                Map.of("part:BOTTLEROCKET-DATA", PartitionPlan.DATA_PARTITION_GUID), false));
        return env;
    }

    /** sgdisk arguments for a disk: fixed disk and partition GUIDs, labels, types, gptprio bits on BOOT-A. */
    static String sgdiskArguments(List<PartitionPlan.Partition> partitions, String diskGuid, Map<String, String> guids,
            boolean osDisk) {
        StringBuilder args = new StringBuilder("--clear --set-alignment=2048 --disk-guid=" + diskGuid);
        for (PartitionPlan.Partition p : partitions) {
            long first = p.startMib() * 2048;
            long last = p.endMib() * 2048 - 1;
            args.append(" --new=").append(p.number()).append(':').append(first).append(':').append(last);
            if (!p.gptName().isEmpty()) {
                args.append(" --change-name=").append(p.number()).append(':').append(p.gptName());
            }
            args.append(" --typecode=").append(p.number()).append(':').append(p.type());
            args.append(" --partition-guid=").append(p.number()).append(':').append(guids.get("part:" + p.label()));
            if (osDisk && p.label().equals("BOTTLEROCKET-BOOT-A")) {
                for (int bit : PartitionPlan.BOOT_A_ATTRIBUTE_BITS) {
                    args.append(" --attributes=").append(p.number()).append(":set:").append(bit);
                }
            }
        }
        return args.toString();
    }

    static String derivedUuid(String seed, String name) {
        return UUID.nameUUIDFromBytes((seed + ":" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Map<String, String> environment(VariantBuildRequest request) {
        Map<String, String> env = new LinkedHashMap<>(StepExit.environment());
        env.put("TZ", "UTC");
        env.put("LC_ALL", "C.UTF-8");
        env.put("SDE", Long.toString(epoch(request).getEpochSecond()));
        return env;
    }

    private static final String IMAGE_SCRIPT = StepScripts.script(VariantBuild.class, "assemble-image.sh");

    // ---- results ---------------------------------------------------------------------------------

    private List<VariantBuildResult.Output> collectOutputs(VariantBuildRequest request) throws IOException {
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

    private Path writeBuildManifest(VariantBuildRequest request, PartitionPlan plan, ImageFacts facts,
            List<InstalledPackage> packages, List<VariantBuildResult.Output> outputs) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format-version", 1);
        Map<String, Object> variant = new LinkedHashMap<>();
        variant.put("module", request.module());
        variant.put("variant-id", request.variantId());
        variant.put("version", request.version());
        variant.put("build-id", request.buildId());
        variant.put("arch", request.arch());
        variant.put("pretty-name", request.options().prettyName());
        m.put("variant", variant);
        Map<String, Object> image = new LinkedHashMap<>();
        ImageOptions o = request.options();
        image.put("partition-plan", o.partitionPlan().name().toLowerCase(java.util.Locale.ROOT));
        image.put("in-place-updates", o.inPlaceUpdates());
        image.put("os-image-size-gib", o.osImageSizeGib());
        image.put("data-image-size-gib", o.dataImageSizeGib());
        image.put("root-filesystem", o.rootFilesystem());
        image.put("kernel-command-line", facts.kernelCommandLine());
        Map<String, Object> verity = new LinkedHashMap<>();
        verity.put("root-hash", facts.rootHash());
        verity.put("salt", facts.salt());
        verity.put("hash-algorithm", "sha256");
        verity.put("data-block-size", 4096);
        verity.put("hash-block-size", 4096);
        verity.put("data-blocks", facts.dataBlocks());
        image.put("dm-verity", verity);
        image.put("os-disk", disk(plan.osDisk(), plan.osDiskMib(), facts.uuids().get("disk"), facts.uuids()));
        if (!plan.dataDisk().isEmpty()) {
            image.put("data-disk", disk(plan.dataDisk(), plan.dataDiskMib(), facts.uuids().get("data-disk"),
                    Map.of("part:BOTTLEROCKET-DATA", PartitionPlan.DATA_PARTITION_GUID)));
        }
        m.put("image", image);
        List<Object> pkgs = new ArrayList<>();
        for (InstalledPackage p : packages) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", p.name());
            e.put("epoch", p.epoch());
            e.put("version", p.version());
            e.put("release", p.release());
            e.put("arch", p.arch());
            e.put("source", p.source());
            pkgs.add(e);
        }
        m.put("packages", pkgs);
        List<Object> files = new ArrayList<>();
        for (VariantBuildResult.Output out : outputs) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", out.file().getFileName().toString());
            e.put("classifier", out.classifier());
            e.put("sha256", Digests.sha256(out.file()));
            e.put("size", Files.size(out.file()));
            files.add(e);
        }
        m.put("outputs", files);
        Path manifest = request.outputDir().resolve(request.baseName() + ".variant.json");
        AtomicFiles.writeString(manifest, Json.render(m));
        return manifest;
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

    private static void recordOutputs(BuildRecord record, Fingerprint inputs, Path manifest,
            List<VariantBuildResult.Output> outputs) throws IOException {
        Fingerprint recorded = new Fingerprint();
        recorded.putFile(record.key("manifest", manifest), manifest);
        for (VariantBuildResult.Output out : outputs) {
            recorded.putFile(record.key("output:" + out.classifier() + ":" + out.type(), out.file()), out.file());
        }
        record.record(inputs, recorded);
    }

    private static Instant epoch(VariantBuildRequest request) {
        return request.sourceDateEpoch().orElse(Instant.EPOCH);
    }

}
