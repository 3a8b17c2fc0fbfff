package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.Syntax;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An SDK image as the plugin sees it through its labels (the SDK contract, see
 * docs/sdk-contract.md): any image carrying these labels can be used, whoever built it.
 */
public record SdkImage(String reference, String id, String name, String version, List<String> arches,
        Map<String, String> macroFiles) {

    public static final String SUPPORTED_CONTRACT = "1";
    static final String LABEL_PREFIX = "dev.twoliter.sdk.";
    static final String CONTRACT = LABEL_PREFIX + "contract";
    static final String MACROS_PREFIX = LABEL_PREFIX + "macros.";
    /** Docker's reference grammar, loosely: registry/path components, then a tag or a digest. */
    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile(
            "[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?"
                    + "|sha256:[0-9a-f]{64}|[0-9a-f]{12,64}");
    private static final java.util.regex.Pattern MACROS_PATH = java.util.regex.Pattern.compile("(/[A-Za-z0-9_.+-]+)+");

    /** True if the text can name a Docker image (a reference, an image id or a short id). */
    public static boolean isReference(String reference) {
        return reference != null && reference.length() <= 512 && REFERENCE.matcher(reference).matches();
    }

    /** Reads the contract labels of an image, failing with the exact label that is wrong. */
    public static SdkImage fromLabels(String reference, String id, Map<String, String> labels)
            throws BuildEnvironmentException {
        Map<String, String> l = labels == null ? Map.of() : labels;
        String contract = l.get(CONTRACT);
        if (contract == null) {
            throw new BuildEnvironmentException("Docker image " + reference + " is not a twoliter SDK: it has no label "
                    + CONTRACT + ". Use an image built from the twoliter-maven sdk/ directory or one that follows"
                    + " docs/sdk-contract.md.");
        }
        if (!SUPPORTED_CONTRACT.equals(contract)) {
            throw new BuildEnvironmentException("SDK image " + reference + " follows SDK contract version " + contract
                    + ", but this plugin supports version " + SUPPORTED_CONTRACT + ".");
        }
        String arches = l.getOrDefault(LABEL_PREFIX + "arches", "");
        Map<String, String> macros = new java.util.TreeMap<>();
        for (Map.Entry<String, String> label : l.entrySet()) {
            if (label.getKey().startsWith(MACROS_PREFIX)) {
                String arch = label.getKey().substring(MACROS_PREFIX.length());
                String path = label.getValue();
                // The path is handed to the step scripts: it must be a plain absolute path.
                if (!Syntax.isArch(arch) || path == null || !MACROS_PATH.matcher(path).matches() || path.contains("/../")
                        || path.endsWith("/..") || path.contains("/./")) {
                    throw new BuildEnvironmentException("SDK image " + reference + " has a bad label " + label.getKey()
                            + "=" + Syntax.show(path) + ": the arch must be a plain name and the value an absolute path"
                            + " to an RPM macros file inside the image.");
                }
                macros.put(arch, path);
            }
        }
        if (!Syntax.isImageId(id)) {
            throw new BuildEnvironmentException("Docker reports the id of SDK image " + reference + " as "
                    + Syntax.show(id) + ", which is not a sha256 image id.");
        }
        String name = l.getOrDefault(LABEL_PREFIX + "name", reference);
        String version = l.getOrDefault(LABEL_PREFIX + "version", "unknown");
        if (!Syntax.isOneLine(name, 255) || !Syntax.isOneLine(version, 255)) {
            throw new BuildEnvironmentException("SDK image " + reference + " has a name or version label that is not"
                    + " one line of at most 255 characters: " + Syntax.show(name) + ", " + Syntax.show(version) + ".");
        }
        List<String> served = Arrays.stream(arches.trim().split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
        if (served.size() > 16 || !served.stream().allMatch(Syntax::isArch)) {
            throw new BuildEnvironmentException("SDK image " + reference + " has a bad label " + LABEL_PREFIX
                    + "arches=" + Syntax.show(arches) + ": expected arch names such as x86_64 and aarch64, separated by"
                    + " spaces.");
        }
        return new SdkImage(reference, id, name, version, served, Map.copyOf(macros));
    }

    /**
     * Fails at once, naming both, when the SDK's {@code arches} label (the arches it serves) does not
     * list the arch a build asks for. An SDK without the label is judged by its macros files alone.
     */
    public void requireArch(String arch) throws BuildEnvironmentException {
        if (!arches.isEmpty() && !arches.contains(arch)) {
            throw new BuildEnvironmentException("SDK image " + reference + " serves " + String.join(" and ", arches)
                    + " (label " + LABEL_PREFIX + "arches), but this build is for " + arch + ". Use an SDK that"
                    + " serves " + arch + ", or build for " + String.join(" or ", arches) + " with -Dtwoliter.arch.");
        }
    }

    /** Path, inside the image, of the RPM macros file for a target arch. */
    public String macrosFor(String arch) throws BuildEnvironmentException {
        requireArch(arch);
        String path = macroFiles.get(arch);
        if (path == null) {
            throw new BuildEnvironmentException("SDK image " + reference + " does not support target arch '" + arch
                    + "' (it has no label " + MACROS_PREFIX + arch + "; supported: " + String.join(", ", macroFiles.keySet())
                    + ").");
        }
        return path;
    }
}
