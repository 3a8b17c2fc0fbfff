package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;
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
        l.forEach((k, v) -> {
            if (k.startsWith(MACROS_PREFIX)) {
                macros.put(k.substring(MACROS_PREFIX.length()), v);
            }
        });
        return new SdkImage(reference, id, l.getOrDefault(LABEL_PREFIX + "name", reference),
                l.getOrDefault(LABEL_PREFIX + "version", "unknown"),
                Arrays.stream(arches.trim().split("[\\s,]+")).filter(s -> !s.isEmpty()).toList(), Map.copyOf(macros));
    }

    /** Path, inside the image, of the RPM macros file for a target arch. */
    public String macrosFor(String arch) throws BuildEnvironmentException {
        String path = macroFiles.get(arch);
        if (path == null) {
            throw new BuildEnvironmentException("SDK image " + reference + " does not support target arch '" + arch
                    + "' (it has no label " + MACROS_PREFIX + arch + "; supported: " + String.join(", ", macroFiles.keySet())
                    + ").");
        }
        return path;
    }
}
