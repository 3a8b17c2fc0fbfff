package dev.twoliter.engine.rpm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a spec's {@code %prep}, {@code %build} and {@code %install} start from, documented in
 * docs/rpm-packaging.md ("The build environment"). rpmbuild runs under {@code env -i} with exactly these
 * variables: the step's own (TARGET_ARCH, for one, is also the variable GNU make's built-in rules append
 * to every compile and link) and whatever the SDK image or Docker set must not change what a build does.
 */
public final class BuildEnvironment {
    /** The directory HOME names: empty at the start of every build, so no dotfile steers a tool. */
    static final String HOME = "/work/home";
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private BuildEnvironment() {}

    /** The variables in the order they are set; SOURCE_DATE_EPOCH only when the build has a timestamp. */
    public static Map<String, String> variables(Optional<Instant> sourceDateEpoch) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", HOME);
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        env.put("TZ", "UTC");
        sourceDateEpoch.ifPresent(t -> env.put("SOURCE_DATE_EPOCH", Long.toString(t.getEpochSecond())));
        return env;
    }

    /** The file rpmbuild.sh reads the assignments from: NAME=value, each ended by a NUL byte. */
    static byte[] file(Optional<Instant> sourceDateEpoch) {
        StringBuilder text = new StringBuilder();
        variables(sourceDateEpoch).forEach((name, value) -> text.append(name).append('=').append(value).append('\0'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
