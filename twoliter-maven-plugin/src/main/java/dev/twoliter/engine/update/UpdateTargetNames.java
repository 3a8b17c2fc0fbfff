package dev.twoliter.engine.update;

/**
 * The names a version's bank images get as targets of an update repository: {@code
 * <variant>-<arch>-<version>-<image>.<type>}, stored as {@code targets/<sha256>.<name>}. Known at
 * build time, so the build manifest can name them before anything is published.
 */
public final class UpdateTargetNames {
    private UpdateTargetNames() {}

    /** @param image {@code boot}, {@code root} or {@code hash}; @param type the file's type, such as {@code ext4.zst} */
    public static String name(String variant, String arch, String version, String image, String type) {
        return variant + "-" + arch + "-" + version + "-" + image + "." + type;
    }

    public static String storedAs(String name, String sha256) {
        return UpdateRepositoryLayout.TARGETS_DIRECTORY + sha256 + "." + name;
    }
}
