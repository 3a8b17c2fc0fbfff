package dev.twoliter.engine.settings;

import dev.twoliter.engine.Syntax;
import java.util.regex.Pattern;

/** The names and versions extensions may have (they become keys, file names and template front matter). */
final class SettingsNames {
    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("v[0-9]{1,4}");

    private SettingsNames() {}

    static void checkExtension(String name, String source) throws SettingsException {
        if (name == null || !EXTENSION.matcher(name).matches()) {
            throw new SettingsException(source + ": extension name " + Syntax.show(String.valueOf(name))
                    + " is not a name of lower-case letters, digits and '-' (at most 64).");
        }
    }

    static void checkVersion(String version, String source) throws SettingsException {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new SettingsException(source + ": extension version " + Syntax.show(String.valueOf(version))
                    + " is not a version such as v1.");
        }
    }
}
