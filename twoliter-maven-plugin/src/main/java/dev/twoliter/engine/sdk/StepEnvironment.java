package dev.twoliter.engine.sdk;

import java.util.Map;

/**
 * The typed inputs of a step script, rendered as the environment the script reads. Every variable
 * a script reads comes from its step's implementation of this interface (plus {@link StepExit}'s
 * codes), which a test checks against the script text.
 */
public interface StepEnvironment {
    Map<String, String> render();
}
