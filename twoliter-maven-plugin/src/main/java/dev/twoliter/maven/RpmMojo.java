package dev.twoliter.maven;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.artifact.RpmFileName;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.prebuilt.PrebuiltBuild;
import dev.twoliter.engine.prebuilt.PrebuiltDeclaration;
import dev.twoliter.engine.prebuilt.PrebuiltFetch;
import dev.twoliter.engine.prebuilt.PrebuiltPins;
import dev.twoliter.engine.prebuilt.PrebuiltRequest;
import dev.twoliter.engine.prebuilt.SigningKey;
import dev.twoliter.engine.rpm.ModuleRpms;
import dev.twoliter.engine.rpm.RpmBuild;
import dev.twoliter.engine.rpm.RpmBuildRequest;
import dev.twoliter.engine.rpm.RpmBuildResult;
import dev.twoliter.engine.rpm.SpecArches;
import dev.twoliter.engine.source.HttpProxy;
import dev.twoliter.engine.source.SourceCache;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import dev.twoliter.engine.vendor.VendorDeclaration;
import dev.twoliter.engine.vendor.VendorDownloads;
import dev.twoliter.engine.vendor.VendorPins;
import dev.twoliter.engine.vendor.Vendoring;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Builds the RPMs of an {@code rpm} module with rpmbuild inside the SDK container and makes a tar of
 * them the module's artifact. Skips the container entirely when no input changed.
 */
@Mojo(name = "rpm", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class RpmMojo extends AbstractTwoliterMojo {
    /** The spec file. */
    @Parameter(defaultValue = "${project.basedir}/${project.artifactId}.spec", required = true)
    private File spec;

    /**
     * Source files fetched by digest (url, sha512, optional fileName, forceUpstream, size, serverId; vendor
     * go or cargo with an optional vendorRoot to vendor an upstream release's dependencies).
     */
    @Parameter
    private List<ExternalSource> externalSources = List.of();

    /** Lookaside mirrors tried in order before an external source's own URL, as mirror/fileName/sha512/fileName. */
    @Parameter(property = "twoliter.lookasideMirrors")
    private List<String> lookasideMirrors = List.of();

    /** Fetch external sources from their upstream URL when no mirror has them. */
    @Parameter(property = "twoliter.upstreamFallback", defaultValue = "true")
    private boolean upstreamFallback;

    /** Shared cache of external sources, keyed by digest. */
    @Parameter(property = "twoliter.sourceCache", defaultValue = "${user.home}/.cache/twoliter/sources")
    private File sourceCache;

    @Component
    private SettingsDecrypter settingsDecrypter;

    /**
     * The Go module proxy that go.sum's modules are fetched from when they are vendored (GOPROXY
     * protocol). A settings.xml mirror whose mirrorOf is {@link #goProxyId} replaces it.
     */
    @Parameter(property = "twoliter.goProxy")
    private String goProxy;

    /** The id of the Go module proxy, for settings.xml {@code <mirror>} and {@code <server>} entries. */
    @Parameter(property = "twoliter.goProxyId", defaultValue = "go-proxy")
    private String goProxyId;

    /**
     * The Cargo registry that Cargo.lock's crates are fetched from when they are vendored: the URL of
     * its sparse index, whose config.json names the downloads. A settings.xml mirror whose mirrorOf is
     * {@link #cargoRegistryId} replaces it.
     */
    @Parameter(property = "twoliter.cargoRegistry")
    private String cargoRegistry;

    /** The id of the Cargo registry, for settings.xml {@code <mirror>} and {@code <server>} entries. */
    @Parameter(property = "twoliter.cargoRegistryId", defaultValue = "cargo-registry")
    private String cargoRegistryId;

    /** Vendor the Go modules and Cargo crates of the module's go.sum and Cargo.lock before the build. */
    @Parameter(property = "twoliter.vendorDependencies", defaultValue = "true")
    private boolean vendorDependencies;

    /** Extra RPM macros for this build, name to value. */
    @Parameter
    private Map<String, String> defines = Map.of();

    /**
     * RPMs taken as their vendor shipped them instead of built from a spec (file, url with sha512, or
     * artifact; name, epoch, version, release). A module with these has no spec; see
     * docs/prebuilt-packages.md.
     */
    @Parameter
    private List<PrebuiltRpm> prebuiltRpms = List.of();

    /**
     * The vendor's OpenPGP public key (armored): every prebuilt RPM must carry a signature that
     * verifies against it, as {@code rpm -K} checks.
     */
    @Parameter
    private File prebuiltSigningKey;

    @Override
    void build(Context context) throws TwoliterException, IOException {
        if (!prebuiltRpms.isEmpty() || prebuiltSigningKey != null) {
            buildPrebuilt(context);
            return;
        }
        MavenProjectFacts facts = context.facts();
        SpecArches specArches = SpecArches.of(readSpec(facts));
        List<Arch> arches = archesToBuild(context, specArches);
        Map<Arch, List<KitRepository>> kitRepositories = kitRepositoriesByArch(context);
        SourceCache cache = new SourceCache(sourceCache.toPath(), lookasideMirrors, upstreamFallback,
                session.isOffline(), proxy(), networkLimits(), MavenServers.credentials(session, settingsDecrypter),
                MavenTerms.INSTANCE, context.log());
        List<RpmBuildResult> results = new ArrayList<>();
        for (Arch target : arches) {
            RpmBuildRequest request = request(context, target, kitRepositories.get(target));
            results.add(context.runner().run(vendorDependencies
                    ? new RpmBuild(request, cache, vendoring(context, cache), vendorDeclarations(context))
                    : new RpmBuild(request, cache)));
        }
        List<Path> rpms = ModuleRpms.publish(results, facts.artifactFile(), rpmDir(context), facts.workDir(),
                buildTimestamp().orElse(Instant.EPOCH));
        project.getArtifact().setFile(facts.artifactFile().toFile());
        context.log().info(facts.module() + ": " + rpms.size() + " RPM(s) in " + rpmDir(context)
                + (specArches.noarch() ? " (noarch: built once)" : ""));
    }

    /** Takes the prebuilt RPMs: fetched and checked here, then one build per arch that has any. */
    private void buildPrebuilt(Context context) throws TwoliterException, IOException {
        MavenProjectFacts facts = context.facts();
        String module = facts.module();
        if (prebuiltRpms.isEmpty()) {
            throw new TwoliterException(module + ": <prebuiltSigningKey> is set, but <prebuiltRpms> lists no RPM."
                    + " Declare the vendor's RPMs, or remove the key.");
        }
        if (Files.exists(spec.toPath()) || !externalSources.isEmpty()) {
            throw new TwoliterException(module + ": the module has <prebuiltRpms> and also "
                    + (Files.exists(spec.toPath()) ? "the spec " + spec : "<externalSources>") + ". A module either"
                    + " builds its RPMs from a spec or takes prebuilt ones: move the prebuilt RPMs into an rpm module"
                    + " of their own (the spec's module can depend on it), or remove the spec and its sources.");
        }
        List<PrebuiltDeclaration> declarations = PrebuiltDeclaration.validate(module,
                prebuiltRpms.stream().map(PrebuiltRpm::declared).toList(), MavenTerms.INSTANCE);
        Optional<SigningKey> key = prebuiltSigningKey == null ? Optional.empty()
                : Optional.of(SigningKey.of(prebuiltSigningKey.toPath(), module, "<prebuiltSigningKey>"));
        SourceCache cache = new SourceCache(sourceCache.toPath(), lookasideMirrors, upstreamFallback,
                session.isOffline(), proxy(), networkLimits(), MavenServers.credentials(session, settingsDecrypter),
                MavenTerms.INSTANCE, context.log());
        MavenKits kits = kits();
        List<dev.twoliter.engine.prebuilt.PrebuiltRpm> rpms = new PrebuiltFetch(module, facts.baseDir(), cache,
                kits::prebuiltRpm).fetchAll(declarations,
                        context.arches().all().stream().map(Arch::rpmName).collect(Collectors.toSet()));
        PrebuiltPins.check(module, rpms, MavenKits.lockFile(project), MavenTerms.INSTANCE, context.log());
        boolean allNoarch = rpms.stream().allMatch(r -> r.header().arch().equals(RpmFileName.NOARCH));
        List<RpmBuildResult> results = new ArrayList<>();
        for (Arch target : allNoarch ? List.of(context.arch()) : context.arches().all()) {
            List<dev.twoliter.engine.prebuilt.PrebuiltRpm> mine = rpms.stream()
                    .filter(r -> RpmFileName.isFor(r.archiveName(), target.rpmName())).toList();
            if (mine.isEmpty()) {
                context.log().info(module + ": no prebuilt RPM for " + target);
                continue;
            }
            String name = context.arches().several() ? module + " (" + target + ")" : module;
            Path workDir = facts.workDir().resolve(target.rpmName());
            results.add(context.runner().run(new PrebuiltBuild(new PrebuiltRequest(name, target, mine, rpms, key,
                    sdkImage, pullSdk, buildTimestamp(), workDir, workDir.resolve(facts.artifactFile().getFileName()),
                    timeout(), force, plugin.getVersion(), MavenTerms.INSTANCE))));
        }
        List<Path> published = ModuleRpms.publish(results, facts.artifactFile(), rpmDir(context), facts.workDir(),
                buildTimestamp().orElse(Instant.EPOCH));
        project.getArtifact().setFile(facts.artifactFile().toFile());
        context.log().info(module + ": " + published.size() + " prebuilt RPM(s) in " + rpmDir(context)
                + (key.isPresent() ? ", signed with " + prebuiltSigningKey : ""));
    }

    /**
     * The build's arches this spec builds for: all of them, one for a noarch spec, none that its
     * ExclusiveArch or ExcludeArch refuses (skipped with a note, not failed: a project for several
     * arches may have packages for one).
     */
    private List<Arch> archesToBuild(Context context, SpecArches specArches) {
        if (specArches.noarch()) {
            return List.of(context.arch());
        }
        List<Arch> arches = new ArrayList<>();
        for (Arch a : context.arches().all()) {
            if (specArches.builds(a.rpmName())) {
                arches.add(a);
            } else {
                context.log().info(context.facts().module() + ": not built for " + a + " (" + spec.getName() + " has "
                        + specArches.describe() + ")");
            }
        }
        return arches;
    }

    private String readSpec(MavenProjectFacts facts) throws TwoliterException, IOException {
        Path file = spec.toPath();
        if (!Files.isRegularFile(file)) {
            return ""; // the build names the missing spec and what to do
        }
        return Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private RpmBuildRequest request(Context context, Arch target, List<KitRepository> kitRepositories)
            throws TwoliterException {
        MavenProjectFacts facts = context.facts();
        String module = context.arches().several() ? facts.module() + " (" + target + ")" : facts.module();
        Path workDir = facts.workDir().resolve(target.rpmName());
        // The caches may be configured inside the module; their files are not the module's sources.
        return new RpmBuildRequest(module, facts.baseDir(), spec.toPath(),
                List.of(facts.targetDir(), sourceCache.toPath(), kitCache.toPath()),
                externalSources.stream().map(ExternalSource::toEngine).toList(), facts.rpmArtifacts(), kitRepositories,
                target, sdkImage, pullSdk, buildTimestamp(), defines, workDir.resolve("rpms"), workDir,
                workDir.resolve(facts.artifactFile().getFileName()), timeout(), force, plugin.getVersion(),
                MavenTerms.INSTANCE);
    }

    private Vendoring vendoring(Context context, SourceCache cache) throws TwoliterException {
        Vendoring.Settings settings = new Vendoring.Settings(
                VendorParameters.endpoint(session, goProxy, goProxyId, MavenTerms.INSTANCE.setting(Terms.Setting.GO_PROXY)),
                VendorParameters.endpoint(session, cargoRegistry, cargoRegistryId,
                        MavenTerms.INSTANCE.setting(Terms.Setting.CARGO_REGISTRY)),
                session.isOffline(), context.facts().baseDir().resolve(VendorPins.FILE_NAME), context.facts().workDir(),
                timeout(), context.facts().module(), MavenTerms.INSTANCE);
        return new Vendoring(settings, cache, new VendorDownloads(networkLimits(), proxy(),
                MavenServers.credentials(session, settingsDecrypter), MavenTerms.INSTANCE, context.log()));
    }

    private List<VendorDeclaration> vendorDeclarations(Context context) throws TwoliterException {
        List<VendorDeclaration> declarations = new java.util.ArrayList<>();
        for (ExternalSource source : externalSources) {
            source.vendorDeclaration(context.facts().module()).ifPresent(declarations::add);
        }
        return declarations;
    }

    /** The active http proxy of settings.xml, as Maven itself would use it. */
    private HttpProxy proxy() {
        Proxy p = session.getSettings() == null ? null : session.getSettings().getActiveProxy();
        if (p == null || !"http".equalsIgnoreCase(p.getProtocol())) {
            return null;
        }
        return new HttpProxy(p.getHost(), p.getPort(), p.getUsername(), p.getPassword(), p.getNonProxyHosts());
    }

    private static Path rpmDir(Context context) {
        return context.facts().targetDir().resolve("rpms");
    }
}
