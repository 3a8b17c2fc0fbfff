package dev.twoliter.engine.vendor;

import dev.twoliter.engine.Syntax;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code go.sum}: lines {@code <module path> <version>[/go.mod] h1:<base64 SHA-256>}. Every
 * line is checked; a malformed one, a hash other than {@code h1}, or two different hashes for the same
 * file are refused with the line number, since go.sum is the only thing vendored modules are trusted by.
 */
public final class GoSum {
    /** Large projects (Kubernetes) pin a few thousand module versions. */
    static final int MAX_MODULES = 20_000;
    private static final String MOD_SUFFIX = "/go.mod";

    private GoSum() {}

    /** The pinned modules, sorted by path and version; {@code where} names the file in messages. */
    public static List<GoModule> parse(String text, String where) throws VendorException {
        Map<String, String[]> byId = new TreeMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split(" +");
            if (fields.length != 3) {
                throw bad(where, i, "has " + fields.length + " fields instead of module, version and hash: "
                        + Syntax.show(abbreviate(line)));
            }
            boolean mod = fields[1].endsWith(MOD_SUFFIX);
            String version = mod ? fields[1].substring(0, fields[1].length() - MOD_SUFFIX.length()) : fields[1];
            if (!GoModule.isPath(fields[0])) {
                throw bad(where, i, "names an invalid module path " + Syntax.show(abbreviate(fields[0])));
            }
            if (!GoModule.isVersion(version)) {
                throw bad(where, i, "has an invalid version " + Syntax.show(abbreviate(version)) + " for "
                        + fields[0]);
            }
            if (!isH1(fields[2])) {
                throw bad(where, i, "has " + Syntax.show(abbreviate(fields[2])) + " for " + fields[0] + " "
                        + version + ", which is not an h1: hash (h1: and the base64 of 32 bytes)");
            }
            String[] hashes = byId.computeIfAbsent(fields[0] + " " + version, k -> new String[2]);
            int slot = mod ? 1 : 0;
            if (hashes[slot] != null && !hashes[slot].equals(fields[2])) {
                throw bad(where, i, "pins " + fields[0] + " " + fields[1] + " to a second, different hash ("
                        + hashes[slot] + " and " + fields[2] + ")");
            }
            hashes[slot] = fields[2];
            if (byId.size() > MAX_MODULES) {
                throw new VendorException(where + " pins more than " + MAX_MODULES + " module versions.");
            }
        }
        List<GoModule> modules = new ArrayList<>();
        byId.forEach((id, hashes) -> {
            int space = id.indexOf(' ');
            modules.add(new GoModule(id.substring(0, space), id.substring(space + 1), hashes[0], hashes[1]));
        });
        return modules;
    }

    static boolean isH1(String hash) {
        if (!hash.startsWith("h1:") || hash.length() != 47) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(hash.substring(3)).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static VendorException bad(String where, int line, String what) {
        return new VendorException(where + " line " + (line + 1) + " " + what + ".");
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
