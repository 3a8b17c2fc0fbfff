package dev.twoliter.engine.sdk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exit codes by which a step script tells Java which stage failed. Java hands each code to the
 * scripts as {@code EXIT_<NAME>} in the environment, so the two sides cannot drift apart.
 */
public enum StepExit {
    /** dnf builddep could not install a package's BuildRequires. */
    BUILD_REQUIRES(65),
    /** rpmbuild itself failed. */
    RPMBUILD(66),
    /** The step's own preparation failed (copying macros, creating a repository, archiving). */
    SETUP(70),
    /** dnf could not install the variant's packages. */
    INSTALL(71),
    /** The content does not fit the partition or disk planned for it. */
    TOO_SMALL(72),
    /** The dm-verity hash tree did not verify right after it was made. */
    VERITY(73),
    /** A command the step needs is not in the SDK image. */
    SDK_TOOL_MISSING(74),
    /** The dependency manager could not vendor a tree's dependencies (go mod vendor). */
    VENDOR(75);

    /** What a script prints before the names of missing commands. */
    public static final String SDK_TOOL_MISSING_MARKER = "twoliter: the SDK lacks";

    private final int code;

    StepExit(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** {@code EXIT_SETUP=70} and so on, for a step's environment. */
    public static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (StepExit exit : values()) {
            env.put("EXIT_" + exit.name(), Integer.toString(exit.code));
        }
        return env;
    }
}
