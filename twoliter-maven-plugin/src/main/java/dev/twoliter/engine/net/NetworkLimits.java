package dev.twoliter.engine.net;

import java.time.Duration;

/**
 * Bounds on every network transfer the plugin makes: how long to wait for a connection, how long a
 * connection may stay silent, how long a whole transfer may take, and how many bytes a download
 * may bring when nothing declares its size. Each limit carries the name of the setting that
 * controls it, so that a failure can tell the user what to change.
 */
public record NetworkLimits(Duration connectTimeout, Duration readTimeout, Duration overallTimeout,
        long maxDownloadBytes, Settings settings) {

    /** The names under which users set each limit (for messages). */
    public record Settings(String connectTimeout, String readTimeout, String overallTimeout, String maxDownloadBytes) {}

    public static final Settings UNNAMED = new Settings("connect timeout", "read timeout", "overall timeout",
            "download size limit");

    public static final NetworkLimits DEFAULTS = new NetworkLimits(Duration.ofSeconds(20), Duration.ofSeconds(60),
            Duration.ofMinutes(30), 4L << 30, UNNAMED);

    public NetworkLimits {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()
                || overallTimeout.isNegative() || overallTimeout.isZero() || maxDownloadBytes <= 0) {
            throw new IllegalArgumentException("network limits must be positive: " + connectTimeout + ", "
                    + readTimeout + ", " + overallTimeout + ", " + maxDownloadBytes);
        }
    }

    public String describeConnectTimeout() {
        return seconds(connectTimeout) + " (" + settings.connectTimeout() + ")";
    }

    public String describeReadTimeout() {
        return seconds(readTimeout) + " (" + settings.readTimeout() + ")";
    }

    public String describeOverallTimeout() {
        return seconds(overallTimeout) + " (" + settings.overallTimeout() + ")";
    }

    public String describeMaxDownload() {
        return bytes(maxDownloadBytes) + " (" + settings.maxDownloadBytes() + ")";
    }

    static String seconds(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 60 ? (s / 60) + " min" : s + " s";
    }

    /** Sizes as people read them: exact bytes below 1 MiB, else MiB or GiB with the byte count. */
    public static String bytes(long n) {
        if (n < 1024 * 1024) {
            return n + " bytes";
        }
        if (n < 10L << 30) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB (%d bytes)", n / 1048576.0, n);
        }
        return String.format(java.util.Locale.ROOT, "%.1f GiB (%d bytes)", n / 1073741824.0, n);
    }
}
