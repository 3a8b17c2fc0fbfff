package dev.twoliter.engine.closure;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.StepEnvironment;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The closure check's one container step (deps-facts.sh): reads the provides, requires and files of
 * every RPM of each package set from the RPM headers, with rpm itself, so that the check sees what
 * rpm and dnf will see.
 */
public final class DepsFactsStep {
    static final String SCRIPT = StepScripts.script(DepsFactsStep.class, "deps-facts.sh");

    private DepsFactsStep() {}

    /** Where one set's RPMs are: single files (copied in), or a directory (mounted) searched for *.rpm. */
    public record Source(String origin, Map<String, Path> files, Path directory) {
        public Source {
            files = files == null ? Map.of() : Map.copyOf(files);
        }

        public static Source ofFiles(String origin, Map<String, Path> files) {
            return new Source(origin, files, null);
        }

        public static Source ofDirectory(String origin, Path directory) {
            return new Source(origin, Map.of(), directory);
        }
    }

    /** Who runs the step and where it keeps its files; {@code label} names the build in messages. */
    public record Request(String label, Path workDir, Duration timeout) {}

    /** The package sets, in the order of {@code sources}; a failure names the log and shows its tail. */
    public static List<PackageSet> run(StepContext steps, Request request, List<Source> sources)
            throws TwoliterException, IOException {
        Path out = request.workDir().resolve("closure-facts");
        AtomicFiles.deleteTree(out);
        Map<String, Path> inputs = new LinkedHashMap<>();
        Map<String, Path> directories = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            Source source = sources.get(i);
            String dir = "/work/sets/" + i;
            if (source.directory() != null) {
                directories.put(dir, source.directory());
            } else {
                // An empty set still needs its directory, so that it is reported (with no packages).
                source.files().forEach((name, file) -> inputs.put(dir + "/" + name, file));
                if (source.files().isEmpty()) {
                    inputs.put(dir + "/.empty", Files.writeString(emptyMarker(request), ""));
                }
            }
        }
        inputs.put(StepScripts.PACKAGE_FACTS, StepScripts.packageFacts(request.workDir().resolve("closure-scripts")));
        ContainerStep step = new ContainerStep(request.label().replace(':', '-') + "-closure", steps.sdk(), SCRIPT,
                StepEnvironment.common(), inputs, directories, "/work/out", out,
                request.workDir().resolve("closure.log"), request.timeout(), line -> { });
        StepOutcome outcome = steps.run(step, request.workDir().resolve("scratch"));
        if (!outcome.succeeded()) {
            throw new TwoliterException(request.label() + ": reading the packages' dependencies for the closure"
                    + " check failed. Last lines of the log:\n    " + String.join("\n    ", outcome.logTail(30))
                    + "\nFull log: " + outcome.logFile());
        }
        List<PackageSet> sets = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Path report = out.resolve(i + ".toml");
            if (!Files.isRegularFile(report)) {
                throw new TwoliterException(request.label() + ": the closure check's step reported nothing for "
                        + sources.get(i).origin() + ". Log: " + outcome.logFile());
            }
            sets.add(new PackageSet(sources.get(i).origin(), DepsFacts.read(report)));
        }
        return sets;
    }

    private static Path emptyMarker(Request request) throws IOException {
        Path dir = request.workDir().resolve("closure-scripts");
        Files.createDirectories(dir);
        return dir.resolve("empty");
    }
}
