package dev.twoliter.engine.cache;

import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.Digests;
import java.util.regex.Pattern;

/**
 * Where a module's outputs for one set of inputs live in a remote build cache: the module's
 * coordinates and the sha256 of its fingerprint's text. The fingerprint holds names and digests
 * only (no absolute path, user, host or clock), so two machines with the same inputs and the same
 * SDK image id compute the same key.
 *
 * @param groupId the module's groupId
 * @param artifactId the module's artifactId
 * @param digest 64 lower-case hex digits
 */
public record CacheKey(String groupId, String artifactId, String digest) {
    /** The format of keys and entries; a change of either makes old entries unreachable, not wrong. */
    static final String FORMAT = "twoliter remote build cache 1";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public CacheKey {
        if (!HEX.matcher(digest).matches()) {
            throw new IllegalArgumentException("not a sha256: " + digest);
        }
    }

    /**
     * The key of a module's build.
     *
     * @param module {@code groupId:artifactId}
     * @param kind what the module builds (rpm, kit, variant), so different packagings never share a key
     */
    public static CacheKey of(String module, String kind, Fingerprint inputs) {
        int colon = module.indexOf(':');
        if (colon <= 0 || colon == module.length() - 1 || module.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException("not groupId:artifactId: " + module);
        }
        String text = FORMAT + "\nmodule=" + module + "\nkind=" + kind + "\n" + inputs.text();
        return new CacheKey(module.substring(0, colon), module.substring(colon + 1), Digests.sha256(text));
    }

    public String module() {
        return groupId + ":" + artifactId;
    }

    /** The first 12 digits, enough to tell entries apart in a log. */
    public String abbreviated() {
        return digest.substring(0, 12);
    }
}
