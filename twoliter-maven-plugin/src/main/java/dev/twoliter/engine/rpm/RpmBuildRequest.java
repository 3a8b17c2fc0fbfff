package dev.twoliter.engine.rpm;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.source.ExternalSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one {@code rpm} module build needs.
 *
 * @param module the module's coordinates, used in every message
 * @param moduleDir directory whose files are the local sources
 * @param excludedDirs directories below moduleDir that are not sources (the build directory, caches)
 * @param dependencyArtifacts artifacts of the module's rpm dependencies: archives of RPMs, or RPMs
 * @param kitRepositories unpacked repositories of every kit of the module's graph
 * @param sourceDateEpoch time stamped into the RPMs; empty: taken from the spec's %changelog
 * @param defines extra RPM macros, name to value
 * @param rpmDir where the built RPMs land
 * @param workDir the plugin's state and logs for this module
 * @param archive the module artifact: a reproducible tar of the RPMs
 * @param toolVersion version of the plugin, part of the fingerprint
 * @param terms how the build tool names the settings a message points at
 */
public record RpmBuildRequest(String module, Path moduleDir, Path specFile, List<Path> excludedDirs,
        List<ExternalSource> externalSources, List<Path> dependencyArtifacts, List<KitRepository> kitRepositories,
        Arch arch, String sdkImage, boolean pullSdk, Optional<Instant> sourceDateEpoch, Map<String, String> defines,
        Path rpmDir, Path workDir, Path archive, Duration timeout, boolean force, String toolVersion, Terms terms) {}
