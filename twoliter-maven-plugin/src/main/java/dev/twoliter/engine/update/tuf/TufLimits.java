package dev.twoliter.engine.update.tuf;

/** Bounds on what a client reads from a server, so a hostile server cannot exhaust disk or memory. */
public record TufLimits(long maxRootBytes, long maxTimestampBytes, long maxSnapshotBytes, long maxTargetsBytes,
        int maxRootRotations) {
    public static TufLimits defaults() {
        return new TufLimits(512 << 10, 16 << 10, 2 << 20, 16 << 20, 1024);
    }
}
