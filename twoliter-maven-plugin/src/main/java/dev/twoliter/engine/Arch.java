package dev.twoliter.engine;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The target architectures, with RPM's names for them. */
public enum Arch {
    X86_64("x86_64"), AARCH64("aarch64");

    private final String rpmName;

    Arch(String rpmName) {
        this.rpmName = rpmName;
    }

    /** The name RPM, dnf, kits and the SDK use. */
    public String rpmName() {
        return rpmName;
    }

    @Override
    public String toString() {
        return rpmName;
    }

    /** The arch RPM calls {@code name}; fails with the supported ones named. */
    public static Arch of(String name) throws TwoliterException {
        for (Arch arch : values()) {
            if (arch.rpmName.equals(name)) {
                return arch;
            }
        }
        throw new TwoliterException("unsupported arch " + Syntax.show(name) + " (use " + supported() + ")");
    }

    /**
     * The arch asked for, or, when none is, the arch of the machine the build runs on (never a fixed
     * default: a build on an aarch64 machine targets aarch64 unless told otherwise).
     */
    public static Arch targetOrHost(String requested) throws TwoliterException {
        return targetOr(requested, host());
    }

    static Arch targetOr(String requested, String host) throws TwoliterException {
        if (requested != null && !requested.isBlank()) {
            return of(requested.strip());
        }
        try {
            return of(host);
        } catch (TwoliterException e) {
            throw new TwoliterException("this machine's arch " + Syntax.show(host) + " is not one the plugin builds"
                    + " for; set -Dtwoliter.arch to " + supported());
        }
    }

    static String supported() {
        return Arrays.stream(values()).map(Arch::rpmName).collect(Collectors.joining(" or "));
    }

    /** The arch of the machine the build runs on (and so of the SDK's native toolchain). */
    public static String host() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }

    /** The arch dnf must be forced to for packages of this arch, or "" when it is the host's. */
    public String forceArch() {
        return rpmName.equals(host()) ? "" : rpmName;
    }
}
