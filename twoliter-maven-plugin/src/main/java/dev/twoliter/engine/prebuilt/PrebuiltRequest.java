package dev.twoliter.engine.prebuilt;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Terms;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one arch's build of a prebuilt module needs.
 *
 * @param module the module's coordinates (with the arch when a run builds several), for messages
 * @param rpms the module's RPMs for {@code arch}: its own and the noarch ones
 * @param allRpms every RPM of the module, whatever its arch, for the sources list
 * @param key the vendor key every RPM must be signed with, if the module names one
 * @param workDir the plugin's state and logs for this arch
 * @param archive this arch's tar of RPMs, from which the module's artifact is made
 * @param sourceDateEpoch the time stamp of the archive's entries
 */
public record PrebuiltRequest(String module, Arch arch, List<PrebuiltRpm> rpms, List<PrebuiltRpm> allRpms,
        Optional<SigningKey> key, String sdkImage, boolean pullSdk, Optional<Instant> sourceDateEpoch, Path workDir,
        Path archive, Duration timeout, boolean force, String toolVersion, Terms terms) {
    public PrebuiltRequest {
        rpms = List.copyOf(rpms);
        allRpms = List.copyOf(allRpms);
    }

    /** Where the checked RPMs land, under the names dependants sort them by. */
    public Path rpmDir() {
        return workDir.resolve("rpms");
    }
}
