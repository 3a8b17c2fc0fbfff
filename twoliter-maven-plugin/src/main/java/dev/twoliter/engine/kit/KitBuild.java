package dev.twoliter.engine.kit;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.rpm.RpmArchive;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.DockerEngine;
import dev.twoliter.engine.sdk.SdkImage;
import dev.twoliter.engine.sdk.PackageFacts;
import dev.twoliter.engine.sdk.StepExit;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
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
import java.util.stream.Stream;

/**
 * Builds a kit: the RPMs of its packages as a yum repository (createrepo_c in the SDK), archived
 * reproducibly as the arch's payload, described by a manifest that pins the payload by digest.
 */
public final class KitBuild {
    private static final String REPO = "/work/kit";
    private final BuildLog log;

    public KitBuild(BuildLog log) {
        this.log = log;
    }

    public KitBuildResult run(KitBuildRequest request) throws TwoliterException, IOException {
        Path staging = request.workDir().resolve("kit-staging");
        Map<String, Path> rpms = stagePackages(request, staging);

        DockerEngine docker = DockerEngine.connect(request.dockerHost(), log);
        SdkImage sdk = docker.sdkImage(request.sdkImage(), request.pullSdk(), log);
        KitRepository.warnOnOtherSdk(request.kitGraph().stream().map(k -> Map.entry(k.coordinates(),
                k.manifest().sdk())).toList(), sdk, request.module(), log);

        Fingerprint inputs = fingerprint(request, rpms, sdk);
        BuildRecord record = new BuildRecord(request.workDir(), "kit", request.manifestFile().getParent());
        if (!request.force() && record.isUpToDate(inputs, request.module(), log)) {
            log.info(request.module() + " is up to date; no container started");
            AtomicFiles.deleteTree(staging);
            return new KitBuildResult(request.manifestFile(), request.payloadFile(), request.arch(), true);
        }

        record.invalidate();
        Path repodata = request.workDir().resolve("kit-repodata");
        List<PackageFacts.RpmFile> metadata = createRepository(request, docker, sdk, rpms, repodata);
        writePayload(request, rpms, repodata);
        writeManifest(request, sdk, rpms, metadata);
        Fingerprint outputs = new Fingerprint();
        for (Path file : List.of(request.manifestFile(), request.payloadFile())) {
            outputs.putFile(record.key("", file), file);
        }
        record.record(inputs, outputs);
        AtomicFiles.deleteTree(staging);
        return new KitBuildResult(request.manifestFile(), request.payloadFile(), request.arch(), false);
    }

    /** Lays out {@code Packages/<package>/<rpm>} from the packages' artifacts, keeping the kit's arch. */
    private Map<String, Path> stagePackages(KitBuildRequest request, Path staging) throws IOException,
            TwoliterException {
        AtomicFiles.deleteTree(staging);
        Map<String, Path> rpms = new TreeMap<>();
        for (Map.Entry<String, Path> pkg : new TreeMap<>(request.packages()).entrySet()) {
            Path dir = staging.resolve("Packages").resolve(pkg.getKey());
            for (Path rpm : RpmArchive.unpack(pkg.getValue(), dir, request.module())) {
                String name = rpm.getFileName().toString();
                String arch = name.substring(name.lastIndexOf('.', name.length() - 5) + 1, name.length() - 4);
                if (!arch.equals(request.arch()) && !arch.equals("noarch")) {
                    throw new KitException(request.module() + ": package " + pkg.getKey() + " contains " + name
                            + ", built for " + arch + ", but this kit is built for " + request.arch()
                            + ". Build its packages with the same -Dtwoliter.arch.");
                }
                rpms.put("Packages/" + pkg.getKey() + "/" + name, rpm);
            }
        }
        if (rpms.isEmpty() && request.kitDependencies().isEmpty()) {
            throw new KitException(request.module() + ": the kit has no packages and no kit dependencies. Add the"
                    + " rpm modules it vends as <dependency> elements with <type>rpm</type>.");
        }
        return rpms;
    }

    private Fingerprint fingerprint(KitBuildRequest request, Map<String, Path> rpms, SdkImage sdk) throws IOException {
        Fingerprint f = new Fingerprint();
        f.put("plugin", request.toolVersion());
        f.put("script", Digests.sha256(SCRIPT + environment(request)));
        f.put("kit", request.coordinates().toString());
        f.put("sdk", sdk.id());
        f.put("arch", request.arch());
        f.put("sourceDateEpoch", Long.toString(epoch(request).getEpochSecond()));
        for (Map.Entry<String, Path> rpm : rpms.entrySet()) {
            f.putFile("rpm:" + rpm.getKey(), rpm.getValue());
        }
        for (KitCoordinates dependency : request.kitDependencies().stream().sorted().toList()) {
            f.put("kit-dependency:" + dependency.key(), dependency.version());
        }
        return f;
    }

    private static final String SCRIPT = StepScripts.script(KitBuild.class, "createrepo.sh");

    /** Runs createrepo_c in the SDK and reads back what each RPM's header says. */
    private List<PackageFacts.RpmFile> createRepository(KitBuildRequest request, DockerEngine docker, SdkImage sdk,
            Map<String, Path> rpms, Path repodata) throws TwoliterException, IOException {
        AtomicFiles.deleteTree(repodata);
        Map<String, Path> inputs = new LinkedHashMap<>();
        rpms.forEach((path, file) -> inputs.put(REPO + "/" + path, file));
        inputs.put(StepScripts.PACKAGE_FACTS, StepScripts.packageFacts(request.workDir().resolve("kit-staging")));
        log.info("Building kit " + request.coordinates() + " (" + request.arch() + ", " + rpms.size() + " RPMs) in SDK "
                + sdk.reference());
        ContainerStep step = new ContainerStep(request.module().replace(':', '-'), sdk, SCRIPT, environment(request),
                inputs, Map.of(), "/work/out", repodata, request.workDir().resolve("kit.log"), request.timeout(),
                line -> log.info("[kit] " + line));
        StepOutcome outcome = docker.run(step, request.workDir().resolve("scratch"));
        if (!outcome.succeeded()) {
            throw new KitException(request.module() + ": creating the kit repository failed. Last lines of the log:\n    "
                    + String.join("\n    ", outcome.logTail(30)) + "\nFull log: " + outcome.logFile());
        }
        List<PackageFacts.RpmFile> facts = new ArrayList<>();
        for (PackageFacts.RpmFile rpm : PackageFacts.readFiles(repodata.resolve("rpms.toml"))) {
            facts.add(new PackageFacts.RpmFile("Packages/" + rpm.path(), rpm.nevra(), rpm.scriptlets()));
        }
        if (facts.size() != rpms.size()) {
            throw new KitException(request.module() + ": the SDK reports " + facts.size() + " packages in the new kit"
                    + " repository, but it holds " + rpms.size() + " RPMs. Log: " + outcome.logFile());
        }
        failOnOneNevraTwice(request, facts);
        return facts;
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

    private static Map<String, String> environment(KitBuildRequest request) {
        Map<String, String> env = new LinkedHashMap<>(StepExit.environment());
        env.put("TZ", "UTC");
        env.put("LC_ALL", "C.UTF-8");
        env.put("REVISION", Long.toString(epoch(request).getEpochSecond()));
        return env;
    }

    private void writePayload(KitBuildRequest request, Map<String, Path> rpms, Path repodata) throws IOException {
        Map<String, Path> entries = new TreeMap<>(rpms);
        try (Stream<Path> files = Files.list(repodata.resolve("repodata"))) {
            for (Path file : files.toList()) {
                entries.put("repodata/" + file.getFileName(), file);
            }
        }
        Path temp = AtomicFiles.tempSibling(request.payloadFile());
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                Tars.write(entries, epoch(request), out);
            }
            AtomicFiles.moveIntoPlace(temp, request.payloadFile());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void writeManifest(KitBuildRequest request, SdkImage sdk, Map<String, Path> rpms,
            List<PackageFacts.RpmFile> metadata) throws IOException, KitException {
        List<KitManifest.Rpm> entries = new ArrayList<>();
        for (PackageFacts.RpmFile m : metadata) {
            Path file = rpms.get(m.path());
            if (file == null) {
                throw new KitException(request.module() + ": the SDK reports " + m.path()
                        + ", which the kit did not stage.");
            }
            PackageFacts.Nevra n = m.nevra();
            entries.add(new KitManifest.Rpm(n.name(), n.epoch(), n.version(), n.release(), n.arch(), m.path(),
                    Files.size(file), Digests.sha256(file)));
        }
        entries.sort(java.util.Comparator.comparing(KitManifest.Rpm::path));
        KitManifest.Payload payload = new KitManifest.Payload(Digests.sha256(request.payloadFile()),
                Files.size(request.payloadFile()), List.copyOf(entries));
        KitManifest manifest = new KitManifest(KitManifest.FORMAT_VERSION, request.coordinates(),
                new KitManifest.Sdk(sdk.reference(), sdk.id(), sdk.name(), sdk.version()), request.kitDependencies(),
                Map.of(request.arch(), payload));
        manifest.write(request.manifestFile());
    }

    private static Instant epoch(KitBuildRequest request) {
        return request.sourceDateEpoch().orElse(Instant.EPOCH);
    }
}
