package dev.twoliter.engine.rpm;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.artifact.RpmFileName;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.StepEnvironment;
import dev.twoliter.engine.sdk.StepExit;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rpmbuild step (rpmbuild.sh): installs the spec's BuildRequires from the dependency RPMs and the
 * kits with {@code dnf builddep}, then runs {@code rpmbuild -bb}. A failure is diagnosed here: the
 * requirements nothing provides are named; anything else shows the tail of the log.
 */
final class RpmbuildStep {
    static final String SCRIPT = StepScripts.script(RpmbuildStep.class, "rpmbuild.sh");
    static final String BUILD_ENVIRONMENT = "/work/.twoliter-build-env";
    private static final int LOG_TAIL_LINES = 30;

    private RpmbuildStep() {}

    /** What rpmbuild.sh reads. */
    record Environment(String archMacros, String specName, Arch arch, List<String> kitRepoIds,
            Optional<Instant> sourceDateEpoch) implements StepEnvironment {
        @Override
        public Map<String, String> render() {
            Map<String, String> env = StepEnvironment.common();
            env.put("ARCH_MACROS", archMacros);
            env.put("SPEC_NAME", specName);
            env.put("TARGET_ARCH", arch.rpmName());
            env.put("FORCE_ARCH", arch.forceArch());
            env.put("KIT_REPOS", String.join("\n", kitRepoIds));
            env.put("KIT_COUNT", Integer.toString(kitRepoIds.size()));
            sourceDateEpoch.ifPresent(t -> env.put("SOURCE_DATE_EPOCH", Long.toString(t.getEpochSecond())));
            return env;
        }
    }

    static Environment environment(RpmBuildRequest request, RpmInputs inputs, String archMacros) {
        return new Environment(archMacros, inputs.spec().getFileName().toString(), request.arch(),
                request.kitRepositories().stream().map(KitRepository::repoId).toList(), request.sourceDateEpoch());
    }

    /** Runs rpmbuild; on success the RPMs are in the request's rpm directory. */
    static void run(StepContext steps, RpmBuildRequest request, RpmInputs inputs, String archMacros)
            throws TwoliterException, IOException {
        AtomicFiles.deleteTree(request.rpmDir());
        Path staging = request.workDir().resolve("staging");
        AtomicFiles.deleteTree(staging);
        Files.createDirectories(staging);
        try {
            Map<String, Path> files = new LinkedHashMap<>();
            files.put("/work/rpmbuild/SPECS/" + inputs.spec().getFileName(), inputs.spec());
            // rpm finds every Source and Patch by its base name, whatever directory the spec names.
            inputs.sources().forEach((name, file) -> files.put("/work/rpmbuild/SOURCES/" + file.getFileName(), file));
            for (Path rpm : dependencyRpms(request, inputs.dependencies(), staging.resolve("deps"))) {
                files.put("/work/deps/" + rpm.getFileName(), rpm);
            }
            files.put("/etc/rpm/macros.twoliter-build",
                    Files.writeString(staging.resolve("macros.twoliter-build"), inputs.buildMacros()));
            files.put(BUILD_ENVIRONMENT, Files.write(staging.resolve("build-env"),
                    BuildEnvironment.file(request.sourceDateEpoch())));
            Map<String, Path> kits = new LinkedHashMap<>();
            request.kitRepositories().forEach(kit -> kits.put("/work/kits/" + kit.repoId(), kit.directory()));

            steps.log().info("Building " + request.module() + " from " + inputs.spec().getFileName() + " in SDK "
                    + steps.sdk().reference() + " (" + request.arch() + ")");
            ContainerStep step = new ContainerStep(request.module().replace(':', '-'), steps.sdk(), SCRIPT,
                    environment(request, inputs, archMacros).render(), files, kits, "/work/out", request.rpmDir(),
                    request.workDir().resolve("rpmbuild.log"), request.timeout(),
                    line -> steps.log().info("[rpmbuild] " + line));
            failUnlessSucceeded(request, inputs, steps.run(step, staging.resolve("scratch")));
        } finally {
            AtomicFiles.deleteTree(staging);
        }
    }

    private static List<Path> dependencyRpms(RpmBuildRequest request, Map<String, Path> artifacts, Path target)
            throws TwoliterException {
        List<Path> rpms = new ArrayList<>();
        for (Map.Entry<String, Path> artifact : artifacts.entrySet()) {
            // Only what a build for the target arch installs: another arch's RPMs are not candidates.
            String arch = request.arch().rpmName();
            if (artifact.getKey().endsWith(".rpm")) {
                if (RpmFileName.isFor(artifact.getKey(), arch)) {
                    rpms.add(artifact.getValue());
                }
            } else {
                rpms.addAll(RpmArchive.unpackFor(artifact.getValue(), target.resolve(artifact.getKey()),
                        request.module(), arch).rpms());
            }
        }
        return rpms;
    }

    private static void failUnlessSucceeded(RpmBuildRequest request, RpmInputs inputs, StepOutcome outcome)
            throws RpmBuildException {
        if (outcome.succeeded()) {
            return;
        }
        Path spec = inputs.spec().getFileName();
        List<String> missing = MissingBuildRequires.in(outcome.logText());
        if (!missing.isEmpty()) {
            Terms terms = request.terms();
            throw new RpmBuildException(request.module() + ": " + spec + " needs build requirements that"
                    + " neither its dependencies nor the SDK provide: " + String.join(", ", missing) + ". Add the rpm"
                    + " module or the kit that ships them as a " + terms.setting(Terms.Setting.RPM_DEPENDENCY) + " or "
                    + terms.setting(Terms.Setting.KIT_DEPENDENCY) + searched(inputs.dependencies(),
                            request.kitRepositories()) + ". Full log: " + outcome.logFile());
        }
        String stage = outcome.exitCode() == StepExit.RPMBUILD.code() ? "rpmbuild failed for " + spec
                : outcome.exitCode() == StepExit.BUILD_REQUIRES.code()
                        ? "installing the BuildRequires of " + spec + " failed"
                        : "the build step failed (exit " + outcome.exitCode() + ")";
        throw new RpmBuildException(request.module() + ": " + stage + ". Last lines of the log:\n    "
                + String.join("\n    ", outcome.logTail(LOG_TAIL_LINES)) + "\nFull log: " + outcome.logFile());
    }

    private static String searched(Map<String, Path> dependencies, List<KitRepository> kits) {
        List<String> names = new ArrayList<>(dependencies.keySet());
        kits.forEach(k -> names.add("kit " + k.coordinates()));
        return names.isEmpty() ? " (the module has no rpm or kit dependencies)"
                : " (searched: " + String.join(", ", names) + ")";
    }
}
