package dev.twoliter.engine;

import java.time.Duration;

/**
 * Range checks for numeric settings (timeouts, size limits), made before anything starts. The
 * caller passes the setting's name as users write it, so the message says what to change.
 */
public final class SettingRanges {
    private SettingRanges() {}

    public static Duration seconds(long value, long min, long max, String setting) throws TwoliterException {
        return Duration.ofSeconds(within(value, min, max, setting));
    }

    public static Duration minutes(long value, long min, long max, String setting) throws TwoliterException {
        return Duration.ofMinutes(within(value, min, max, setting));
    }

    public static long within(long value, long min, long max, String setting) throws TwoliterException {
        if (value < min || value > max) {
            throw new TwoliterException(setting + " is " + value + "; use a value from " + min + " to " + max + ".");
        }
        return value;
    }
}
