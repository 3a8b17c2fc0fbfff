package dev.twoliter.engine;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
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

    private static Instant parse(String value, String origin) throws TwoliterException {
        try {
            if (value.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochSecond(Long.parseLong(value));
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new TwoliterException(origin + " '" + value + "' is neither an ISO-8601 date-time with offset"
                    + " (2026-01-01T00:00:00Z) nor seconds since 1970.");
        }
    }
}
