package dev.twoliter.engine.net;

/**
 * How many bytes a download may bring: exactly its declared size when the source declares one,
 * else at most the configured download limit. Words the failures, naming the setting to change.
 *
 * @param maxBytes the most bytes accepted
 * @param exact true if the download must have exactly {@code maxBytes} (a declared size)
 * @param description the limit and where it comes from, for messages
 * @param declaredName how the user declares a size, for messages (the build tool's term)
 */
public record SizeBound(long maxBytes, boolean exact, String description, String declaredName) {

    public SizeBound {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("a size bound must be positive: " + maxBytes);
        }
    }

    public static SizeBound of(Long declaredSize, NetworkLimits limits, String declaredName) {
        return declaredSize != null
                ? new SizeBound(declaredSize, true,
                        NetworkLimits.bytes(declaredSize) + " (the declared " + declaredName + " of this source)",
                        declaredName)
                : new SizeBound(limits.maxDownloadBytes(), false, limits.describeMaxDownload(), declaredName);
    }

    /** A problem with a length announced before the transfer (Content-Length, a file's size), or null. */
    String checkAnnounced(long announced, String who) {
        if (announced > maxBytes) {
            return who + " " + NetworkLimits.bytes(announced) + ", more than " + description;
        }
        if (exact && announced != maxBytes) {
            return who + " " + NetworkLimits.bytes(announced) + ", but the declared " + declaredName + " is "
                    + NetworkLimits.bytes(maxBytes);
        }
        return null;
    }

    String tooMuchArrived() {
        return "the download grew past " + description + "; aborted";
    }

    /** A problem with the length of a finished transfer, or null. */
    String checkFinal(long bytes) {
        if (exact && bytes != maxBytes) {
            return "the download has " + NetworkLimits.bytes(bytes) + ", but the declared " + declaredName + " is "
                    + NetworkLimits.bytes(maxBytes);
        }
        return null;
    }
}
