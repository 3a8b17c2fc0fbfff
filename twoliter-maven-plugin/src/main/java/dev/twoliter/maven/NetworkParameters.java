package dev.twoliter.maven;

import dev.twoliter.engine.SettingRanges;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.net.NetworkLimits;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Parameter;

/** The download limits every goal that fetches something shares (kits, external sources). */
abstract class NetworkParameters extends AbstractMojo {
    /** Seconds to wait for a connection to a server (external sources, kit repositories). */
    @Parameter(property = "twoliter.connectTimeoutSeconds", defaultValue = "20")
    int connectTimeoutSeconds;

    /** Seconds a download may go without receiving any data before it fails. */
    @Parameter(property = "twoliter.readTimeoutSeconds", defaultValue = "60")
    int readTimeoutSeconds;

    /** Seconds one download may take in all, however steadily data arrives. */
    @Parameter(property = "twoliter.downloadTimeoutSeconds", defaultValue = "1800")
    int downloadTimeoutSeconds;

    /**
     * The largest download, in MiB, when nothing declares its size (an external source without
     * {@code <size>}); a kit payload is bounded by the size its manifest records.
     */
    @Parameter(property = "twoliter.maxDownloadMiB", defaultValue = "4096")
    long maxDownloadMiB;

    NetworkLimits networkLimits() throws TwoliterException {
        return new NetworkLimits(
                SettingRanges.seconds(connectTimeoutSeconds, 1, 3600, "twoliter.connectTimeoutSeconds"),
                SettingRanges.seconds(readTimeoutSeconds, 1, 3600, "twoliter.readTimeoutSeconds"),
                SettingRanges.seconds(downloadTimeoutSeconds, 1, 24 * 3600, "twoliter.downloadTimeoutSeconds"),
                SettingRanges.within(maxDownloadMiB, 1, 1L << 20, "twoliter.maxDownloadMiB") << 20,
                new NetworkLimits.Settings("twoliter.connectTimeoutSeconds", "twoliter.readTimeoutSeconds",
                        "twoliter.downloadTimeoutSeconds", "twoliter.maxDownloadMiB"));
    }
}
