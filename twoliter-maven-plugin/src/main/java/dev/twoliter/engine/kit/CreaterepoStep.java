package dev.twoliter.engine.kit;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.PackageFacts;
import dev.twoliter.engine.sdk.StepEnvironment;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kit's repository step (createrepo.sh): createrepo_c over the staged {@code Packages/}, and
 * what each RPM's header says, read back through {@link PackageFacts}.
 */
final class CreaterepoStep {
    static final String SCRIPT = StepScripts.script(CreaterepoStep.class, "createrepo.sh");
    private static final String REPO = "/work/kit";

    private CreaterepoStep() {}

    /** What createrepo.sh reads. */
    record Environment(Instant revision) implements StepEnvironment {
        @Override
        public Map<String, String> render() {
            Map<String, String> env = StepEnvironment.common();
            env.put("REVISION", Long.toString(revision.getEpochSecond()));
            return env;
        }
    }

    /** The repository's metadata (in {@code repodata/} under the returned directory) and each RPM's facts. */
    record Repository(Path directory, List<PackageFacts.RpmFile> rpms) {}

    static Repository run(StepContext steps, KitBuildRequest request, Map<String, Path> rpms, Path staging)
            throws TwoliterException, IOException {
        Path out = request.workDir().resolve("kit-repodata");
        AtomicFiles.deleteTree(out);
        Map<String, Path> inputs = new LinkedHashMap<>();
        rpms.forEach((path, file) -> inputs.put(REPO + "/" + path, file));
        inputs.put(StepScripts.PACKAGE_FACTS, StepScripts.packageFacts(staging));
        steps.log().info("Building kit " + request.coordinates() + " (" + request.arch() + ", " + rpms.size()
                + " RPMs) in SDK " + steps.sdk().reference());
        ContainerStep step = new ContainerStep(request.module().replace(':', '-'), steps.sdk(), SCRIPT,
                new Environment(request.epoch()).render(), inputs, Map.of(), "/work/out", out,
                request.workDir().resolve("kit.log"), request.timeout(), line -> steps.log().info("[kit] " + line));
        StepOutcome outcome = steps.run(step, request.workDir().resolve("scratch"));
        if (!outcome.succeeded()) {
            throw new KitException(request.module() + ": creating the kit repository failed. Last lines of the log:\n    "
                    + String.join("\n    ", outcome.logTail(30)) + "\nFull log: " + outcome.logFile());
        }
        List<PackageFacts.RpmFile> facts = new ArrayList<>();
        for (PackageFacts.RpmFile rpm : PackageFacts.readFiles(out.resolve("rpms.toml"))) {
            facts.add(new PackageFacts.RpmFile("Packages/" + rpm.path(), rpm.nevra(), rpm.scriptlets(), rpm.license()));
        }
        if (facts.size() != rpms.size()) {
            throw new KitException(request.module() + ": the SDK reports " + facts.size() + " packages in the new kit"
                    + " repository, but it holds " + rpms.size() + " RPMs. Log: " + outcome.logFile());
        }
        failOnOneNevraTwice(request, facts);
        return new Repository(out, List.copyOf(facts));
    }

    /** Two modules that build the same NEVRA would leave dnf to pick one of them at random. */
    private static void failOnOneNevraTwice(KitBuildRequest request, List<PackageFacts.RpmFile> rpms)
            throws KitException {
        Map<String, String> byNevra = new TreeMap<>();
        for (PackageFacts.RpmFile rpm : rpms) {
            String other = byNevra.putIfAbsent(rpm.nevra().toString(), rpm.path());
            if (other != null) {
                throw new KitException(request.module() + ": the kit would hold " + rpm.nevra() + " twice: built by"
                        + " module " + moduleOf(other) + " (" + other + ") and by module " + moduleOf(rpm.path()) + " ("
                        + rpm.path() + "). A kit may hold each package version once; rename or re-version one of"
                        + " them.");
            }
        }
    }

    private static String moduleOf(String path) {
        String[] parts = path.split("/");
        return parts.length > 1 ? parts[1] : path;
    }
}
