package dev.twoliter.engine;

/** Target architectures, in RPM's names. */
public final class Arch {
    private Arch() {}

    /** The arch of the machine the build runs on (and so of the SDK's native toolchain). */
    public static String host() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }

    /** The arch dnf must be forced to for packages of {@code target}, or "" when it is the host's. */
    public static String forceArch(String target) {
        return target.equals(host()) ? "" : target;
    }

    /** dnf's option for installing packages of another arch than the host's, or nothing. */
    public static String forceArchOption(String target) {
        return target.equals(host()) ? "" : " --forcearch " + target;
    }
}
