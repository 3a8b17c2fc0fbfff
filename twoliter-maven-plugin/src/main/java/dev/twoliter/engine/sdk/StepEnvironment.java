package dev.twoliter.engine.sdk;

import java.util.Map;

/**
 * The typed inputs of a step script, rendered as the environment the script reads. Every variable
 * a script reads comes from its step's implementation of this interface (plus {@link StepExit}'s
 * codes), which a test checks against the script text.
 */
public interface StepEnvironment {
    Map<String, String> render();

    /**
     * What every step starts from: the exit codes, UTC and a UTF-8 C locale, so that tools print
     * and sort the same way on every machine. A step adds its own variables to the returned map.
     */
    static Map<String, String> common() {
        Map<String, String> env = new java.util.LinkedHashMap<>(StepExit.environment());
        env.put("TZ", "UTC");
        env.put("LC_ALL", "C.UTF-8");
        return env;
    }
}
