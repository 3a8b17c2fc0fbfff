package dev.twoliter.engine.update.tuf;

import java.time.Duration;

/** How long each role's newly written metadata stays valid. */
public record ExpirationPolicy(Duration root, Duration targets, Duration snapshot, Duration timestamp) {
    /** Bottlerocket's defaults: a year for root, two weeks for targets and snapshot, a week for timestamp. */
    public static ExpirationPolicy defaults() {
        return new ExpirationPolicy(Duration.ofDays(365), Duration.ofDays(14), Duration.ofDays(14),
                Duration.ofDays(7));
    }
}
