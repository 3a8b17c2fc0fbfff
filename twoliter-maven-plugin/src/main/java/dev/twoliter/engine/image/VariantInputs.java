package dev.twoliter.engine.image;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import java.util.List;
import java.util.Locale;

/**
 * Checks a variant's configuration before anything is built: every value that ends up in
 * os-release, grub.cfg, the kernel command line or a step's package list must fit that format.
 */
final class VariantInputs {
    /** Parameters the image sets itself; a second one on the command line would take precedence. */
    private static final List<String> RESERVED_KERNEL_PARAMETERS = List.of("root", "dm-mod.create", "dm-mod.waitfor",
            "ro", "rw", "rootwait", "init");
    /** The kernel's own command-line limit on x86_64, with room for what the image adds. */
    private static final int MAX_USER_KERNEL_PARAMETERS = 1024;

    private VariantInputs() {}

    static void check(VariantBuildRequest request) throws TwoliterException {
        String module = request.module();
        if (request.includedPackages().isEmpty()) {
            throw new TwoliterException(module + ": <includedPackages> is empty; name the packages the image installs.");
        }
        for (String name : request.includedPackages()) {
            if (!Syntax.isRpmName(name)) {
                throw new TwoliterException(module + ": included package " + Syntax.show(name) + " is not an RPM"
                        + " package name (letters, digits and . _ + -, starting with a letter, digit or _).");
            }
        }
        if (!Syntax.isOsReleaseId(request.variantId())) {
            throw new TwoliterException(module + ": the variant id " + Syntax.show(request.variantId()) + " cannot be"
                    + " os-release's ID and VARIANT_ID, which allow only lowercase letters, digits and . _ - (at most"
                    + " 64); rename the module's artifactId.");
        }
        versionId(request.version(), module);
        if (!Syntax.isOneLine(request.buildId(), 64) || request.buildId().isBlank()
                || request.buildId().chars().anyMatch(Character::isWhitespace)) {
            throw new TwoliterException(module + ": the build id " + Syntax.show(request.buildId()) + " must be one word"
                    + " of at most 64 printable characters (it becomes os-release's BUILD_ID).");
        }
        ImageOptions o = request.options();
        Terms terms = request.terms();
        if (o.osImageSizeGib() < 1 || o.osImageSizeGib() > ImageOptions.MAX_OS_IMAGE_SIZE_GIB) {
            throw new TwoliterException(module + ": " + terms.setting(Terms.Setting.OS_IMAGE_SIZE) + " is "
                    + o.osImageSizeGib() + "; use 1 to " + ImageOptions.MAX_OS_IMAGE_SIZE_GIB + ".");
        }
        if (o.dataImageSizeGib() < 1 || o.dataImageSizeGib() > ImageOptions.MAX_DATA_IMAGE_SIZE_GIB) {
            throw new TwoliterException(module + ": " + terms.setting(Terms.Setting.DATA_IMAGE_SIZE) + " is "
                    + o.dataImageSizeGib() + "; use 1 to " + ImageOptions.MAX_DATA_IMAGE_SIZE_GIB + ".");
        }
        if (!Syntax.isOneLine(o.prettyName(), 128) || o.prettyName().isBlank()) {
            throw new TwoliterException(module + ": the pretty name " + Syntax.show(o.prettyName()) + " must be one line"
                    + " of at most 128 characters without control characters (it goes into os-release and the boot"
                    + " menu).");
        }
        int length = 0;
        for (String parameter : o.kernelParameters()) {
            if (!Syntax.isKernelParameter(parameter)) {
                throw new TwoliterException(module + ": kernel parameter " + Syntax.show(parameter) + " is not one"
                        + " token of letters, digits and _ . , : / = + @ % ~ - (no spaces, quotes or characters that"
                        + " GRUB or a shell would interpret).");
            }
            String key = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
            if (RESERVED_KERNEL_PARAMETERS.contains(key)) {
                throw new TwoliterException(module + ": kernel parameter " + Syntax.show(parameter) + " sets '" + key
                        + "', which the image sets itself to boot its dm-verity root (" + String.join(", ",
                        RESERVED_KERNEL_PARAMETERS) + " are reserved).");
            }
            length += parameter.length() + 1;
        }
        if (length > MAX_USER_KERNEL_PARAMETERS) {
            throw new TwoliterException(module + ": the kernel parameters add up to " + length + " characters; at most "
                    + MAX_USER_KERNEL_PARAMETERS + " fit next to what the image needs.");
        }
    }

    /** os-release's VERSION_ID: the project version in lowercase, which must then fit the specification. */
    static String versionId(String version) {
        return version.toLowerCase(Locale.ROOT);
    }

    private static void versionId(String version, String module) throws TwoliterException {
        if (!Syntax.isOneLine(version, 64) || !Syntax.isOsReleaseId(versionId(version))) {
            throw new TwoliterException(module + ": the version " + Syntax.show(version) + " cannot be os-release's"
                    + " VERSION_ID, which allows only letters, digits and . _ - (at most 64).");
        }
    }
}
