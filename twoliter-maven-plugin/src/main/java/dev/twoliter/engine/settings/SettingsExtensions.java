package dev.twoliter.engine.settings;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The extensions an image gathers, checked as a whole: one declaration per name, one renderer per file. */
public final class SettingsExtensions {
    private SettingsExtensions() {}

    /** The extensions by name; fails on two declarations of one name or two configuration files at one path. */
    public static Map<String, SettingsExtension> gather(List<SettingsExtension> extensions) throws SettingsException {
        Map<String, SettingsExtension> byName = new TreeMap<>();
        Map<String, String> renderers = new TreeMap<>();
        for (SettingsExtension extension : extensions) {
            SettingsExtension previous = byName.putIfAbsent(extension.name(), extension);
            if (previous != null) {
                throw new SettingsException("settings extension " + extension.name() + " is declared twice: "
                        + previous.version() + " in " + previous.source() + " and " + extension.version() + " in "
                        + extension.source() + "; an image has one version of each extension.");
            }
            for (SettingsExtension.ConfigurationFile file : extension.configurationFiles().values()) {
                String renderer = "configuration file " + file.name() + " of extension " + extension.name() + " ("
                        + extension.source() + ")";
                String other = renderers.putIfAbsent(file.path(), renderer);
                if (other != null) {
                    throw new SettingsException(file.path() + " is rendered by both " + other + " and " + renderer
                            + "; one file has one template.");
                }
            }
        }
        return byName;
    }
}
