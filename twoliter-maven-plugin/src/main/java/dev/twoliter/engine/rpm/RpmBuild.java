package dev.twoliter.engine.rpm;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.DockerEngine;
import dev.twoliter.engine.sdk.SdkImage;
import dev.twoliter.engine.sdk.StepExit;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import dev.twoliter.engine.source.ExternalSource;
import dev.twoliter.engine.source.SourceCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the RPMs of one {@code rpm} module with rpmbuild in a fresh SDK container, unless the
 * fingerprint of its inputs matches the last successful build.
 */
public final class RpmBuild {
    private static final Pattern MACRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int LOG_TAIL_LINES = 30;

    private final BuildLog log;
    private final SourceCache sourceCache;

    public RpmBuild(BuildLog log, SourceCache sourceCache) {
        this.log = log;
        this.sourceCache = sourceCache;
    }

    public RpmBuildResult run(RpmBuildRequest request) throws TwoliterException, IOException {
        Path spec = locateSpec(request);
        Map<String, Path> sources = collectLocalSources(request, spec);
        sources.putAll(fetchExternalSources(request, sources));
        Map<String, Path> dependencyRpms = listDependencyArtifacts(request);
        String buildMacros = buildMacros(request);

        DockerEngine docker = DockerEngine.connect(request.dockerHost(), log);
        SdkImage sdk = docker.sdkImage(request.sdkImage(), request.pullSdk(), log);
        String archMacros = sdk.macrosFor(request.arch());
        KitRepository.warnOnOtherSdk(KitRepository.sdks(request.kitRepositories()), sdk, request.module(), log);

        Fingerprint inputs = fingerprint(request, spec, sources, dependencyRpms, sdk, archMacros, buildMacros);
        BuildRecord record = record(request);
        if (!request.force() && record.isUpToDate(inputs, request.module(), log)) {
            log.info(request.module() + " is up to date; no container started");
            return new RpmBuildResult(recordedRpms(record), request.archive(), true);
        }
        record.invalidate();

        StepOutcome outcome = runRpmbuild(request, docker, sdk, spec, sources, dependencyRpms, archMacros, buildMacros);
        failUnlessSucceeded(request, spec, outcome, dependencyRpms);
        List<Path> rpms = collectRpms(request);
        writeArchive(request, rpms);
        recordOutputs(record, request, inputs, rpms);
        return new RpmBuildResult(rpms, request.archive(), false);
    }

    private Path locateSpec(RpmBuildRequest request) throws RpmBuildException {
        Path spec = request.specFile();
        if (Files.isDirectory(spec)) {
            throw new RpmBuildException(request.module() + ": the spec " + spec + " is a directory, not a file. Point"
                    + " <spec> at the .spec file itself (default: <artifactId>.spec next to pom.xml).");
        }
        if (Files.isRegularFile(spec)) {
            String name = spec.getFileName().toString();
            if (!name.endsWith(".spec") || !Syntax.isPlainFileName(name)) {
                throw new RpmBuildException(request.module() + ": the spec file name " + Syntax.show(name)
                        + " must end in .spec and consist of letters, digits and . _ + - (it becomes a file name in"
                        + " the build container).");
            }
            return spec;
        }
        String others;
        try (Stream<Path> files = Files.list(request.moduleDir())) {
            others = String.join(", ", files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".spec"))
                    .sorted().toList());
        } catch (IOException e) {
            others = "";
        }
        throw new RpmBuildException(request.module() + ": spec file " + spec + " not found. An rpm module needs"
                + " <artifactId>.spec next to its pom.xml, or <spec> set in the plugin configuration"
                + (others.isEmpty() ? "." : " (spec files present: " + others + ")."));
    }

    /** The module's own files: everything except pom.xml, the spec, dot-files and the build directory. */
    private Map<String, Path> collectLocalSources(RpmBuildRequest request, Path spec)
            throws IOException, RpmBuildException {
        Path root = request.moduleDir().toAbsolutePath().normalize();
        List<Path> excluded = request.excludedDirs().stream().map(p -> p.toAbsolutePath().normalize()).toList();
        Map<String, Path> sources = new TreeMap<>();
        List<String> unusable = new ArrayList<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir,
                    java.nio.file.attribute.BasicFileAttributes attrs) {
                boolean skip = !dir.equals(root)
                        && (dir.getFileName().toString().startsWith(".") || excluded.contains(dir));
                return skip ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file,
                    java.nio.file.attribute.BasicFileAttributes attrs) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (!Syntax.isOneLine(relative, 4096)) {
                    unusable.add(relative);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                boolean skip = !attrs.isRegularFile() || file.getFileName().toString().startsWith(".")
                        || relative.equals("pom.xml") || file.equals(spec.toAbsolutePath().normalize());
                if (!skip) {
                    sources.put(relative, file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        if (!unusable.isEmpty()) {
            throw new RpmBuildException(request.module() + ": local source " + Syntax.show(unusable.get(0))
                    + " has a control character (such as a newline) in its name; rename it.");
        }
        failOnSameBaseName(request, sources);
        return sources;
    }

    private static void failOnSameBaseName(RpmBuildRequest request, Map<String, Path> sources)
            throws RpmBuildException {
        Map<String, String> byBaseName = new TreeMap<>();
        for (String relative : sources.keySet()) {
            String base = relative.substring(relative.lastIndexOf('/') + 1);
            String other = byBaseName.putIfAbsent(base, relative);
            if (other != null) {
                throw new RpmBuildException(request.module() + ": local sources " + other + " and " + relative
                        + " share the name " + base + "; rpm finds sources by name alone, so rename one of them.");
            }
        }
    }

    private Map<String, Path> fetchExternalSources(RpmBuildRequest request, Map<String, Path> localSources)
            throws TwoliterException, IOException {
        Map<String, Path> fetched = new TreeMap<>();
        for (ExternalSource source : request.externalSources()) {
            SourceCache.validate(source, request.module());
            boolean clash = fetched.containsKey(source.fileName()) || localSources.keySet().stream()
                    .anyMatch(k -> k.equals(source.fileName()) || k.endsWith("/" + source.fileName()));
            if (clash) {
                throw new RpmBuildException(request.module() + ": external source " + dev.twoliter.engine.net.Urls.redact(source.url()) + " would be "
                        + source.fileName() + ", but a source of that name already exists; give it another <fileName>.");
            }
            fetched.put(source.fileName(), sourceCache.fetch(source, request.module()));
        }
        return fetched;
    }

    private Map<String, Path> listDependencyArtifacts(RpmBuildRequest request) throws RpmBuildException {
        Map<String, Path> artifacts = new TreeMap<>();
        for (Path artifact : request.dependencyArtifacts()) {
            if (!Files.isRegularFile(artifact)) {
                throw new RpmBuildException(request.module() + ": dependency artifact " + artifact + " does not exist;"
                        + " build its module in the same reactor with `mvn package` (or later) or install it.");
            }
            artifacts.put(artifact.getFileName().toString(), artifact);
        }
        return artifacts;
    }

    /** Macros the plugin sets for every build: reproducibility first, then the user's own. */
    private String buildMacros(RpmBuildRequest request) throws RpmBuildException {
        StringBuilder macros = new StringBuilder();
        macros.append("%_topdir /work/rpmbuild\n");
        macros.append("%_buildhost twoliter-sdk\n");
        macros.append("%_build_id_links none\n");
        macros.append("%use_source_date_epoch_as_buildtime 1\n");
        macros.append("%clamp_mtime_to_source_date_epoch 1\n");
        macros.append("%source_date_epoch_from_changelog ").append(request.sourceDateEpoch().isEmpty() ? 1 : 0)
                .append('\n');
        for (Map.Entry<String, String> define : new TreeMap<>(request.defines()).entrySet()) {
            String name = define.getKey().startsWith("%") ? define.getKey().substring(1) : define.getKey();
            String value = define.getValue() == null ? "" : define.getValue();
            if (!MACRO_NAME.matcher(name).matches() || !Syntax.isOneLine(value, 4096)) {
                throw new RpmBuildException(request.module() + ": <defines> entry '" + define.getKey()
                        + "' is not a valid RPM macro (name [A-Za-z_][A-Za-z0-9_]*, a value of one line without control"
                        + " characters).");
            }
            macros.append('%').append(name).append(' ').append(value.isEmpty() ? "%{nil}" : value).append('\n');
        }
        return macros.toString();
    }

    private Fingerprint fingerprint(RpmBuildRequest request, Path spec, Map<String, Path> sources,
            Map<String, Path> dependencies, SdkImage sdk, String archMacros, String buildMacros) throws IOException {
        Fingerprint f = new Fingerprint();
        f.put("plugin", request.toolVersion());
        f.put("script", Digests.sha256(SCRIPT + scriptEnvironment(request, spec, archMacros) + buildMacros));
        f.put("sdk", sdk.id());
        f.put("arch", request.arch());
        f.put("sourceDateEpoch", request.sourceDateEpoch().map(i -> Long.toString(i.getEpochSecond())).orElse("changelog"));
        f.putFile("spec:" + spec.getFileName(), spec);
        for (Map.Entry<String, Path> source : sources.entrySet()) {
            f.put("source:" + source.getKey(), Digests.sha256(source.getValue())
                    + (Files.isExecutable(source.getValue()) ? " executable" : ""));
        }
        for (Map.Entry<String, Path> dependency : dependencies.entrySet()) {
            f.putFile("dependency:" + dependency.getKey(), dependency.getValue());
        }
        for (KitRepository kit : request.kitRepositories()) {
            f.put("kit:" + kit.coordinates(), kit.payloadSha256());
        }
        return f;
    }

    private StepOutcome runRpmbuild(RpmBuildRequest request, DockerEngine docker, SdkImage sdk, Path spec,
            Map<String, Path> sources, Map<String, Path> dependencyArtifacts, String archMacros, String buildMacros)
            throws TwoliterException, IOException {
        AtomicFiles.deleteTree(request.rpmDir());
        Path staging = request.workDir().resolve("staging");
        AtomicFiles.deleteTree(staging);
        Files.createDirectories(staging);

        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("/work/rpmbuild/SPECS/" + spec.getFileName(), spec);
        // rpm finds every Source and Patch by its base name, whatever directory the spec names.
        sources.forEach((name, file) -> inputs.put("/work/rpmbuild/SOURCES/" + file.getFileName(), file));
        for (Path rpm : unpackDependencyRpms(request, dependencyArtifacts, staging.resolve("deps"))) {
            inputs.put("/work/deps/" + rpm.getFileName(), rpm);
        }
        Path macrosFile = staging.resolve("macros.twoliter-build");
        Files.writeString(macrosFile, buildMacros);
        inputs.put("/etc/rpm/macros.twoliter-build", macrosFile);

        Map<String, Path> kits = new LinkedHashMap<>();
        for (KitRepository kit : request.kitRepositories()) {
            kits.put("/work/kits/" + kit.repoId(), kit.directory());
        }

        Map<String, String> env = scriptEnvironment(request, spec, archMacros);
        env.put("TZ", "UTC");
        env.put("LC_ALL", "C.UTF-8");
        request.sourceDateEpoch().ifPresent(t -> env.put("SOURCE_DATE_EPOCH", Long.toString(t.getEpochSecond())));

        log.info("Building " + request.module() + " from " + spec.getFileName() + " in SDK " + sdk.reference()
                + " (" + request.arch() + ")");
        ContainerStep step = new ContainerStep(request.module().replace(':', '-'), sdk,
                SCRIPT, env, inputs, kits, "/work/out", request.rpmDir(),
                request.workDir().resolve("rpmbuild.log"), request.timeout(), line -> log.info("[rpmbuild] " + line));
        try {
            return docker.run(step, staging.resolve("scratch"));
        } finally {
            AtomicFiles.deleteTree(staging);
        }
    }

    private List<Path> unpackDependencyRpms(RpmBuildRequest request, Map<String, Path> artifacts, Path target)
            throws TwoliterException {
        List<Path> rpms = new ArrayList<>();
        for (Map.Entry<String, Path> artifact : artifacts.entrySet()) {
            if (artifact.getKey().endsWith(".rpm")) {
                rpms.add(artifact.getValue());
            } else {
                rpms.addAll(RpmArchive.unpack(artifact.getValue(), target.resolve(artifact.getKey()), request.module()));
            }
        }
        return rpms;
    }

    private static final String SCRIPT = StepScripts.script(RpmBuild.class, "rpmbuild.sh");

    /** What the step script reads: see rpmbuild.sh. */
    private static Map<String, String> scriptEnvironment(RpmBuildRequest request, Path spec, String archMacros) {
        Map<String, String> env = new LinkedHashMap<>(StepExit.environment());
        env.put("ARCH_MACROS", archMacros);
        env.put("SPEC_NAME", spec.getFileName().toString());
        env.put("TARGET_ARCH", request.arch());
        env.put("FORCE_ARCH", Arch.forceArch(request.arch()));
        env.put("KIT_REPOS", String.join("\n", request.kitRepositories().stream().map(KitRepository::repoId).toList()));
        env.put("KIT_COUNT", Integer.toString(request.kitRepositories().size()));
        return env;
    }

    private void failUnlessSucceeded(RpmBuildRequest request, Path spec, StepOutcome outcome,
            Map<String, Path> dependencies) throws RpmBuildException {
        if (outcome.succeeded()) {
            return;
        }
        List<String> missing = MissingBuildRequires.in(outcome.logText());
        if (!missing.isEmpty()) {
            throw new RpmBuildException(request.module() + ": " + spec.getFileName() + " needs build requirements that"
                    + " neither its dependencies nor the SDK provide: " + String.join(", ", missing) + ". Add the rpm module"
                    + " or the kit that ships them as a <dependency> with <type>rpm</type> or <type>kit</type>"
                    + searched(dependencies, request.kitRepositories())
                    + ". Full log: " + outcome.logFile());
        }
        String stage = outcome.exitCode() == StepExit.RPMBUILD.code() ? "rpmbuild failed for " + spec.getFileName()
                : outcome.exitCode() == StepExit.BUILD_REQUIRES.code()
                        ? "installing the BuildRequires of " + spec.getFileName() + " failed"
                        : "the build step failed (exit " + outcome.exitCode() + ")";
        throw new RpmBuildException(request.module() + ": " + stage + ". Last lines of the log:\n    "
                + String.join("\n    ", outcome.logTail(LOG_TAIL_LINES)) + "\nFull log: " + outcome.logFile());
    }

    private static String searched(Map<String, Path> dependencies, List<KitRepository> kits) {
        List<String> names = new ArrayList<>(dependencies.keySet());
        kits.forEach(k -> names.add("kit " + k.coordinates()));
        return names.isEmpty() ? " (the module has no rpm or kit dependencies)" : " (searched: " + String.join(", ", names) + ")";
    }

    private List<Path> collectRpms(RpmBuildRequest request) throws IOException, RpmBuildException {
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

    private void writeArchive(RpmBuildRequest request, List<Path> rpms) throws IOException {
        Map<String, Path> entries = new TreeMap<>();
        rpms.forEach(rpm -> entries.put(rpm.getFileName().toString(), rpm));
        Path temp = AtomicFiles.tempSibling(request.archive());
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                Tars.write(entries, request.sourceDateEpoch().orElse(Instant.EPOCH), out);
            }
            AtomicFiles.moveIntoPlace(temp, request.archive());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void recordOutputs(BuildRecord record, RpmBuildRequest request, Fingerprint inputs,
            List<Path> rpms) throws IOException {
        Fingerprint outputs = new Fingerprint();
        for (Path file : concat(rpms, request.archive())) {
            outputs.putFile(record.key("", file), file);
        }
        record.record(inputs, outputs);
    }

    private static List<Path> recordedRpms(BuildRecord record) {
        return record.outputs().entries().keySet().stream().filter(k -> k.endsWith(".rpm")).sorted()
                .map(record::output).toList();
    }

    private static List<Path> concat(List<Path> rpms, Path archive) {
        List<Path> all = new ArrayList<>(rpms);
        all.add(archive.toAbsolutePath());
        return all;
    }

    /** Outputs are recorded relative to the build directory (the RPMs and the archive live there). */
    private static BuildRecord record(RpmBuildRequest request) {
        return new BuildRecord(request.workDir(), "rpm", request.workDir().getParent());
    }
}
