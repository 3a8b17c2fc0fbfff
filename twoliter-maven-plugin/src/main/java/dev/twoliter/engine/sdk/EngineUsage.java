package dev.twoliter.engine.sdk;

import java.time.Duration;

/**
 * What one Docker engine did for this JVM's builds, for the summary at the end of a build.
 *
 * @param engine the engine's URL, redacted (no user info)
 * @param steps the steps that got a container on it
 * @param inContainers wall time of those steps from taking or starting their container to its exit
 */
public record EngineUsage(String engine, int steps, Duration inContainers) {}
