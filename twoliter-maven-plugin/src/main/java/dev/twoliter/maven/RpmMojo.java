package dev.twoliter.maven;

import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.rpm.RpmBuild;
import dev.twoliter.engine.rpm.RpmBuildRequest;
import dev.twoliter.engine.rpm.RpmBuildResult;
import dev.twoliter.engine.source.HttpProxy;
import dev.twoliter.engine.source.SourceCache;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Override
    void build(Context context) throws TwoliterException, IOException {
        List<KitRepository> kitRepositories = kitRepositories(context);
        SourceCache cache = new SourceCache(sourceCache.toPath(), lookasideMirrors, upstreamFallback,
                session.isOffline(), proxy(), networkLimits(), MavenServers.credentials(session, settingsDecrypter),
                MavenTerms.INSTANCE, context.log());
        RpmBuildRequest request = request(context, kitRepositories);
        RpmBuildResult result = context.runner().run(vendorDependencies
                ? new RpmBuild(request, cache, vendoring(context, cache), vendorDeclarations(context))
                : new RpmBuild(request, cache));
        project.getArtifact().setFile(result.archive().toFile());
        context.log().info(context.facts().module() + ": " + result.rpms().size() + " RPM(s) in " + rpmDir(context));
    }

    private RpmBuildRequest request(Context context, List<KitRepository> kitRepositories) throws TwoliterException {
        MavenProjectFacts facts = context.facts();
        // The caches may be configured inside the module; their files are not the module's sources.
        return new RpmBuildRequest(facts.module(), facts.baseDir(), spec.toPath(),
                List.of(facts.targetDir(), sourceCache.toPath(), kitCache.toPath()),
                externalSources.stream().map(ExternalSource::toEngine).toList(), facts.rpmArtifacts(), kitRepositories,
                context.arch(), sdkImage, pullSdk, buildTimestamp(), defines, rpmDir(context), facts.workDir(),
                facts.artifactFile(), timeout(), force, plugin.getVersion(), MavenTerms.INSTANCE);
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
