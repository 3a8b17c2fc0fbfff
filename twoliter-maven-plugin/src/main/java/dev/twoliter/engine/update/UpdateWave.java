package dev.twoliter.engine.update;

import java.time.Duration;

/**
 * One step of a staged rollout: {@code fleetPercentage} percent of the machines in all (this wave
 * and the earlier ones) may take the update once {@code startAfter} has passed since it was
 * published.
 */
public record UpdateWave(Duration startAfter, int fleetPercentage) {}
