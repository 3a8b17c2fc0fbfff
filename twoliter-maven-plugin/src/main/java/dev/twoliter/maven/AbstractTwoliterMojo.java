package dev.twoliter.maven;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.PhaseTimes;
import dev.twoliter.engine.SettingRanges;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.module.ModuleBuildRunner;
import dev.twoliter.engine.kit.KitCache;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.kit.KitRoot;
import dev.twoliter.engine.kit.KitsInUse;
import dev.twoliter.engine.kit.ResolvedKit;
import dev.twoliter.engine.sdk.DockerEngine;
import dev.twoliter.engine.sdk.DockerTimeouts;
import dev.twoliter.engine.sdk.EnginePool;
import dev.twoliter.engine.sdk.SdkContainers;
import dev.twoliter.engine.net.Urls;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;

/** Parameters and Maven glue shared by the goals that build in the SDK. */
abstract class AbstractTwoliterMojo extends RemoteCacheParameters {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    @Component
    RepositorySystem repositorySystem;

    /** The SDK image, by reference; it must be present locally unless {@link #pullSdk} is set. */
    @Parameter(property = "twoliter.sdkImage", defaultValue = "twoliter-sdk:0.4.0")
    String sdkImage;

    /** Pull the SDK image if it is not present locally. Off by default: nothing is pulled unasked. */
    @Parameter(property = "twoliter.pullSdk", defaultValue = "false")
    boolean pullSdk;

    /** Docker engine to use; default DOCKER_HOST, else the local socket. */
    @Parameter(property = "twoliter.dockerHost")
    String dockerHost;

    /**
     * Several Docker engines to spread the steps over, comma-separated ({@code
     * unix:///var/run/docker.sock,tcp://build2:2376}), at most 16; each step runs on the engine with the
     * fewest steps running. Every engine must have the SDK image with the same id. Not together with
     * {@code twoliter.dockerHost}. See docs/engines.md.
     */
    @Parameter(property = "twoliter.dockerHosts")
    String dockerHosts;

    /**
     * Containers to start ahead of the steps that will use them, per kind of step: {@code -1} (the
     * default) one per build thread ({@code -T}), {@code 0} to start each container only when its
     * step needs it, at most 16. Each is still used by one step only.
     */
    @Parameter(property = "twoliter.warmContainers", defaultValue = "-1")
    int warmContainers;

    /** Target architecture: x86_64 or aarch64; by default the arch of the machine Maven runs on. */
    @Parameter(property = "twoliter.arch")
    String arch;

    /** Build even if the inputs did not change since the last build. */
    @Parameter(property = "twoliter.force", defaultValue = "false")
    boolean force;

    /** Minutes after which a build step is stopped (1 to 1440). */
    @Parameter(property = "twoliter.buildTimeoutMinutes", defaultValue = "60")
    int buildTimeoutMinutes;

    /** Seconds to wait for a connection to the Docker engine. */
    @Parameter(property = "twoliter.dockerConnectTimeoutSeconds", defaultValue = "10")
    int dockerConnectTimeoutSeconds;

    /**
     * Seconds to wait for the Docker engine to answer an API call; how long a step may run is
     * {@code buildTimeoutMinutes}.
     */
    @Parameter(property = "twoliter.dockerReadTimeoutSeconds", defaultValue = "120")
    int dockerReadTimeoutSeconds;

    /**
     * How a kit already unpacked in the kit cache is checked before each use: {@code quick} (the
     * file list, sizes and modification times against the list recorded when it was unpacked) or
     * {@code full} (every file's sha256 as well).
     */
    @Parameter(property = "twoliter.verifyKitCache", defaultValue = "quick")
    String verifyKitCache;

    /** Time stamped into outputs; falls back to SOURCE_DATE_EPOCH. */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    String outputTimestamp;

    /** Where verified kit payloads are unpacked, once per payload digest. */
    @Parameter(property = "twoliter.kitCache", defaultValue = "${user.home}/.cache/twoliter/kits")
    File kitCache;

    /** Runs the goal, turning engine failures into Maven's two kinds. */
    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        MavenProjectFacts facts = new MavenProjectFacts(project);
        if (!applies(facts)) {
            return;
        }
        try {
            Arch target;
            try {
                target = Arch.targetOrHost(arch);
            } catch (TwoliterException e) {
                throw new TwoliterException(facts.module() + ": " + e.getMessage());
            }
            MavenBuildLog log = new MavenBuildLog(getLog());
            PhaseTimes times = new PhaseTimes();
            checkSettings();
            SdkContainers containers = connectEngines(log);
            times.lap("connect");
            RepositorySystemSession repositorySession = session.getRepositorySession();
            BuildSummary.engineBaseline(repositorySession, containers.usage());
            ModuleBuildRunner runner = new ModuleBuildRunner(containers, remoteCache(session, repositorySystem,
                    MavenKits.lockFile(project).getParent(), log),
                    BuildSummary.outcomes(repositorySession), log);
            try {
                build(new Context(facts, target, log, containers, runner));
            } finally {
                BuildSummary.engineUsage(repositorySession, containers.usage());
            }
            times.lap("goal");
            log.debug("timing " + facts.module() + " " + getClass().getSimpleName() + ": " + times.render());
        } catch (TwoliterException | IOException e) {
            Exception mapped = MojoErrors.map(e);
            if (mapped instanceof MojoFailureException f) {
                throw f;
            }
            throw (MojoExecutionException) mapped;
        }
    }

    /**
     * Where the steps run: the engine of twoliter.dockerHost (else DOCKER_HOST, else the local socket),
     * or a pool of the engines of twoliter.dockerHosts. One connection per engine and JVM, with the
     * configured timeouts; every module reuses it, and every module sees the same pool.
     */
    private SdkContainers connectEngines(BuildLog log) throws TwoliterException {
        boolean several = dockerHosts != null && !dockerHosts.isBlank();
        if (several && dockerHost != null && !dockerHost.isBlank()) {
            throw new TwoliterException("Both twoliter.dockerHost (" + Syntax.show(Urls.redact(dockerHost))
                    + ") and twoliter.dockerHosts (" + Syntax.show(Urls.redact(dockerHosts)) + ") are set;"
                    + " set only one: twoliter.dockerHosts for several engines, twoliter.dockerHost for one.");
        }
        List<String> hosts = several ? EnginePool.parseHosts(dockerHosts, "twoliter.dockerHosts") : List.of();
        int warm = warmContainers < 0 ? session.getRequest().getDegreeOfConcurrency() : warmContainers;
        if (hosts.size() <= 1) {
            DockerEngine engine = DockerEngine.connect(hosts.isEmpty() ? dockerHost : hosts.get(0), dockerTimeouts(),
                    MavenTerms.INSTANCE, log);
            engine.keepWarm(warm);
            return engine;
        }
        List<DockerEngine> engines = new ArrayList<>();
        for (String host : hosts) {
            engines.add(DockerEngine.connect(host, dockerTimeouts(), MavenTerms.INSTANCE, log));
        }
        // The build threads' spares, shared out: each engine gets its part of them, rounded up.
        int perEngine = (warm + engines.size() - 1) / engines.size();
        engines.forEach(engine -> engine.keepWarm(perEngine));
        return EnginePool.of(engines);
    }

    /** What every goal works with: the module's facts, the target arch, the log and the build skeleton. */
    record Context(MavenProjectFacts facts, Arch arch, BuildLog log, SdkContainers containers,
            ModuleBuildRunner runner) {}

    abstract void build(Context context) throws TwoliterException, IOException;

    /** Whether the goal has work in this module; a goal that skips modules says why itself. */
    boolean applies(MavenProjectFacts facts) {
        return true;
    }

    Optional<Instant> buildTimestamp() throws TwoliterException {
        return MavenProjectFacts.buildTimestamp(outputTimestamp);
    }

    Duration timeout() {
        return Duration.ofMinutes(buildTimeoutMinutes);
    }

    /** Range checks that must hold before anything starts. */
    private void checkSettings() throws TwoliterException {
        SettingRanges.minutes(buildTimeoutMinutes, 1, 24 * 60, "twoliter.buildTimeoutMinutes");
        SettingRanges.within(warmContainers, -1, 16, "twoliter.warmContainers");
        networkLimits();
        dockerTimeouts();
        kitCacheVerification();
    }

    DockerTimeouts dockerTimeouts() throws TwoliterException {
        return new DockerTimeouts(
                SettingRanges.seconds(dockerConnectTimeoutSeconds, 1, 600, "twoliter.dockerConnectTimeoutSeconds"),
                SettingRanges.seconds(dockerReadTimeoutSeconds, 1, 3600, "twoliter.dockerReadTimeoutSeconds"),
                "twoliter.dockerConnectTimeoutSeconds", "twoliter.dockerReadTimeoutSeconds");
    }

    private KitCache.Verification kitCacheVerification() throws TwoliterException {
        if (!List.of("quick", "full").contains(verifyKitCache)) {
            throw new TwoliterException("twoliter.verifyKitCache is " + Syntax.show(verifyKitCache)
                    + "; use quick or full.");
        }
        return KitCache.Verification.valueOf(verifyKitCache.toUpperCase(java.util.Locale.ROOT));
    }

    MavenKits kits() throws TwoliterException {
        return new MavenKits(repositorySystem, session, project, networkLimits());
    }

    KitCache kitCache() throws TwoliterException {
        return new KitCache(kitCache.toPath(), kitCacheVerification());
    }

    /** The module's kit graph, checked against twoliter.lock if the project has one. */
    List<ResolvedKit> kitGraph(MavenKits kits, Context context) throws TwoliterException, IOException {
        List<KitRoot> roots = kits.roots();
        if (roots.isEmpty()) {
            return List.of(); // no trusted keys to read, no key artifact to resolve
        }
        Set<String> own = MavenKits.ownKitIds(session);
        return KitsInUse.graph(context.facts().module(), roots, kits, kitVerifier(session, project, kits, own,
                context.log()), MavenKits.lockFile(project), c -> own.contains(c.toString()), context.arch().rpmName(),
                MavenTerms.INSTANCE, context.log());
    }

    /** The kit graph's payloads for the target arch, verified and unpacked. */
    List<KitRepository> kitRepositories(Context context) throws TwoliterException, IOException {
        MavenKits kits = kits();
        return KitsInUse.repositories(kitGraph(kits, context), kits, kitCache(), context.arch().rpmName(),
                context.log());
    }
}
