package dev.twoliter.engine.update;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in a POM: ISO-8601 ({@code PT1H}, {@code P14D}) or a count and a
 * unit ({@code 4 hours}, {@code 2 weeks}, {@code 1 day}), as Bottlerocket's wave and expiration
 * files do.
 */
public final class HumanDuration {
    private static final Pattern COUNTED = Pattern.compile("(\\d{1,6})\\s*(second|minute|hour|day|week)s?");

    private HumanDuration() {}

    public static Optional<Duration> parse(String text) {
        if (text == null || text.length() > 64) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = COUNTED.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "second" -> Duration.ofSeconds(n);
                case "minute" -> Duration.ofMinutes(n);
                case "hour" -> Duration.ofHours(n);
                case "day" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            });
        }
        try {
            return Optional.of(Duration.parse(t.toUpperCase(Locale.ROOT)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
