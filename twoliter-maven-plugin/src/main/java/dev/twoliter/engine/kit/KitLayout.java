package dev.twoliter.engine.kit;

import dev.twoliter.engine.Syntax;
import java.util.ArrayList;
import java.util.List;

/**
 * The only shapes an unpacked kit payload may have: a yum repository with {@code
 * Packages/<directory>/<file>.rpm} and {@code repodata/<file>}, all names plain (no dots in front,
 * no separators, no {@code ..}). Paths use {@code /} and have no trailing slash.
 */
final class KitLayout {
    static final String PACKAGES = "Packages";
    static final String REPODATA = "repodata";
    /** createrepo_c writes a handful of files; the bound keeps a payload from flooding the cache. */
    static final int MAX_REPODATA_FILES = 1_000;

    private KitLayout() {}

    static boolean isRpm(String path) {
        return KitManifest.isRpmPath(path);
    }

    static boolean isRepodataFile(String path) {
        String[] parts = path.split("/", -1);
        return parts.length == 2 && parts[0].equals(REPODATA) && Syntax.isPlainFileName(parts[1]);
    }

    static boolean isFile(String path) {
        return isRpm(path) || isRepodataFile(path);
    }

    /** {@code Packages}, {@code repodata} or {@code Packages/<plain name>}. */
    static boolean isDirectory(String path) {
        if (path.equals(PACKAGES) || path.equals(REPODATA)) {
            return true;
        }
        String[] parts = path.split("/", -1);
        return parts.length == 2 && parts[0].equals(PACKAGES) && Syntax.isPlainFileName(parts[1]);
    }

    /** The directories a file of the layout lives in, outermost first. */
    static List<String> parents(String file) {
        List<String> parents = new ArrayList<>();
        for (int i = file.indexOf('/'); i > 0; i = file.indexOf('/', i + 1)) {
            parents.add(file.substring(0, i));
        }
        return parents;
    }
}
