package dev.twoliter.engine.sdk;

import java.time.Duration;

/**
 * How long the plugin waits for the Docker engine: to connect, and for an answer to each API call
 * (a step's own run time is bounded separately by its step timeout). Each carries the name of the
 * setting that changes it, for messages.
 */
public record DockerTimeouts(Duration connect, Duration read, String connectSetting, String readSetting) {
    public static final DockerTimeouts DEFAULTS = new DockerTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(120),
            "connect timeout", "read timeout");

    public DockerTimeouts {
        if (connect.isZero() || connect.isNegative() || read.isZero() || read.isNegative()) {
            throw new IllegalArgumentException("Docker timeouts must be positive: " + connect + ", " + read);
        }
    }
}
