package dev.twoliter.engine.image;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.PackageFacts;
import dev.twoliter.engine.sdk.StepEnvironment;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import dev.twoliter.engine.settings.SettingsBundle;
import dev.twoliter.engine.settings.SettingsDefaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The install step (install-root.sh): dnf installs the variant's packages into an empty root from
 * its rpm modules (priority 1) and its kits (10, 11, … in declaration order). What is recorded about
 * the packages always comes from a pass in which no package code ran; with scriptlets switched on, a
 * second pass in a throwaway container runs them and yields only the root tree.
 */
final class InstallRootStep {
    static final String SCRIPT = StepScripts.script(InstallRootStep.class, "install-root.sh");
    static final String LOCAL_REPO = "local";
    private static final Pattern NO_MATCH = Pattern.compile("No match for argument: (\\S+)");
    private static final Pattern NOTHING_PROVIDES = Pattern.compile("nothing provides (.+?) needed by (\\S+)");
    /** dnf's transaction test, for two new packages and for a new one against an installed one. */
    private static final Pattern CONFLICT = Pattern.compile("file (\\S+) (?:conflicts between attempted installs of"
            + " (\\S+) and (\\S+)|from install of (\\S+) conflicts with file from package (\\S+))");

    private InstallRootStep() {}

    /** What install-root.sh reads. */
    record Environment(String archMacros, Arch arch, List<String> kitRepoIds, boolean runScriptlets)
            implements StepEnvironment {
        @Override
        public Map<String, String> render() {
            Map<String, String> env = StepEnvironment.common();
            env.put("ARCH_MACROS", archMacros);
            env.put("FORCE_ARCH", arch.forceArch());
            env.put("KIT_REPOS", String.join("\n", kitRepoIds));
            env.put("KIT_PRIORITY_BASE", "10");
            env.put("FRAGMENTS_DIR", SettingsDefaults.FRAGMENTS_DIR);
            env.put("EXTENSIONS_DIR", SettingsBundle.EXTENSIONS_DIR);
            env.put("SCRIPTLETS", runScriptlets ? "run" : "skip");
            return env;
        }
    }

    /**
     * A package installed into the image and where it came from: {@code repository} is the dnf
     * repository id (a kit's {@link KitRepository#repoId()}, or the local modules').
     */
    record InstalledPackage(String name, long epoch, String version, String release, String arch, String source,
            String publisher, String group, String url, String summary, String license, String repository) {}

    /**
     * What the step left: the packages, the settings fragments and extensions they ship (with their
     * owners), and the root tree as a tar.
     */
    record Installation(List<InstalledPackage> packages, List<PackageFacts.SettingsFragment> fragments,
            List<PackageFacts.SettingsExtensionOwner> extensions, Path rootTar, Path fragmentsDir) {}

    static Installation run(StepContext steps, VariantBuildRequest request, String archMacros,
            Map<String, Path> localRpms, Path staging) throws TwoliterException, IOException {
        Path out = request.workDir().resolve("variant-root");
        AtomicFiles.deleteTree(out);
        Map<String, Path> inputs = new LinkedHashMap<>();
        localRpms.forEach((name, file) -> inputs.put("/work/local/" + name, file));
        Files.createDirectories(staging);
        inputs.put("/work/in/packages.txt", Files.writeString(staging.resolve("packages.txt"),
                String.join("\n", request.includedPackages()) + "\n"));
        inputs.put(StepScripts.PACKAGE_FACTS, StepScripts.packageFacts(staging));
        Map<String, Path> kits = new LinkedHashMap<>();
        request.kits().forEach(k -> kits.put("/work/kits/" + k.repoId(), k.directory()));
        steps.log().info("Installing " + String.join(", ", request.includedPackages()) + " for variant "
                + request.module() + " from " + describeSources(request));

        runPass(steps, request, inputs, kits, environment(request, archMacros, false), out, "root", "install");
        PackageFacts.Installed installed = PackageFacts.readInstalled(out.resolve("packages.toml"));
        if (request.options().scriptlets() == ImageOptions.Scriptlets.RUN) {
            Path withScriptlets = out.resolveSibling(out.getFileName() + "-scriptlets");
            AtomicFiles.deleteTree(withScriptlets);
            steps.log().info("Installing again with the packages' scriptlets, in a container of their own");
            runPass(steps, request, inputs, kits, environment(request, archMacros, true), withScriptlets,
                    "scriptlets", "scriptlets");
            AtomicFiles.moveIntoPlace(withScriptlets.resolve("root.tar"), out.resolve("root.tar"));
            AtomicFiles.deleteTree(withScriptlets);
        } else {
            reportSkippedScriptlets(steps, request, installed);
        }
        return new Installation(describe(request, installed), installed.settingsFragments(),
                installed.settingsExtensions(), out.resolve("root.tar"), out.resolve("settings.d"));
    }

    static Environment environment(VariantBuildRequest request, String archMacros, boolean runScriptlets) {
        return new Environment(archMacros, request.arch(), request.kits().stream().map(KitRepository::repoId).toList(),
                runScriptlets);
    }

    private static void runPass(StepContext steps, VariantBuildRequest request, Map<String, Path> inputs,
            Map<String, Path> kits, Environment environment, Path out, String name, String logPrefix)
            throws TwoliterException, IOException {
        ContainerStep step = new ContainerStep(request.module().replace(':', '-') + "-" + name, steps.sdk(), SCRIPT,
                environment.render(), inputs, kits, "/work/out", out,
                request.workDir().resolve(name.equals("root") ? "variant-install.log" : "variant-scriptlets.log"),
                request.timeout(), line -> steps.log().info("[" + logPrefix + "] " + line));
        StepOutcome outcome = steps.run(step, request.workDir().resolve("scratch"));
        if (!outcome.succeeded()) {
            throw failure(request, outcome);
        }
    }

    private static void reportSkippedScriptlets(StepContext steps, VariantBuildRequest request,
            PackageFacts.Installed installed) {
        List<String> withScriptlets = installed.packages().stream().filter(p -> !p.scriptlets().isEmpty())
                .map(p -> p.nevra().name() + " (" + String.join(", ", p.scriptlets()) + ")").toList();
        if (!withScriptlets.isEmpty()) {
            steps.log().info(request.module() + ": the scriptlets of " + withScriptlets.size() + " package(s) were not"
                    + " run: " + String.join(", ", withScriptlets) + ". Package code runs at build time only when the"
                    + " variant's packageScriptlets option says run.");
        }
    }

    static String describeSources(VariantBuildRequest request) {
        List<String> sources = new ArrayList<>();
        if (!request.localPackages().isEmpty()) {
            sources.add("local modules " + String.join(", ", request.localPackages().keySet()));
        }
        request.kits().forEach(k -> sources.add("kit " + k.coordinates()));
        return sources.isEmpty() ? "nothing (the variant has no rpm or kit dependencies)" : String.join(", ", sources);
    }

    private static TwoliterException failure(VariantBuildRequest request, StepOutcome outcome) {
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
                    source[1], p.group(), p.url(), p.summary(), p.license(), p.repository()));
        }
        packages.sort(java.util.Comparator.comparing(InstalledPackage::name).thenComparing(InstalledPackage::arch));
        return List.copyOf(packages);
    }
}
