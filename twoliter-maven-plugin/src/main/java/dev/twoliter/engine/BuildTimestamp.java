package dev.twoliter.engine;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The time stamped into build outputs, from Maven's {@code project.build.outputTimestamp} or, if
 * that is not set, the {@code SOURCE_DATE_EPOCH} environment variable.
 */
public final class BuildTimestamp {
    private BuildTimestamp() {}

    /**
     * @param outputTimestamp ISO-8601 instant or seconds since the epoch; null, empty or a single
     *     character (Maven's convention for "disabled") means not set
     * @param sourceDateEpoch value of SOURCE_DATE_EPOCH, may be null
     */
    public static Optional<Instant> resolve(String outputTimestamp, String sourceDateEpoch) throws TwoliterException {
        if (outputTimestamp != null && outputTimestamp.trim().length() > 1) {
            return Optional.of(parse(outputTimestamp.trim(), "project.build.outputTimestamp"));
        }
        if (sourceDateEpoch != null && !sourceDateEpoch.isBlank()) {
            return Optional.of(parse(sourceDateEpoch.trim(), "SOURCE_DATE_EPOCH"));
        }
        return Optional.empty();
    }

    /**
     * RPM headers hold build times as unsigned 32-bit seconds: a time before 1970 would wrap around
     * into 2106, and none after 2106-02-07 fits at all.
     */
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.ofEpochSecond(0xFFFFFFFFL);

    private static Instant parse(String value, String origin) throws TwoliterException {
        Instant instant;
        try {
            if (value.length() <= 19 && value.chars().allMatch(Character::isDigit)) {
                instant = Instant.ofEpochSecond(Long.parseLong(value));
            } else {
                instant = OffsetDateTime.parse(value).toInstant();
            }
        } catch (java.time.DateTimeException | NumberFormatException e) {
            throw new TwoliterException(origin + " " + Syntax.show(value) + " is neither an ISO-8601 date-time with"
                    + " offset (2026-01-01T00:00:00Z) nor seconds since 1970.");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new TwoliterException(origin + " " + Syntax.show(value) + " is " + instant + ", outside what RPM"
                    + " headers can hold (" + EARLIEST + " to " + LATEST + "); use a time in that range.");
        }
        return instant;
    }
}
