package dev.twoliter.maven;

/**
 * One wave of {@code updateWaves} in a POM: {@code <startAfter>4 hours</startAfter>} (or ISO-8601,
 * {@code PT4H}) after publication, {@code <fleetPercentage>10</fleetPercentage>} of the machines in all.
 */
public class UpdateWave {
    String startAfter;
    int fleetPercentage;
}
