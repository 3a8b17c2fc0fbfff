package dev.twoliter.engine.settings;

import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.settings.template.ExtensionRequirement;
import dev.twoliter.engine.settings.template.SettingsTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * Renders every configuration file of an image's extensions from its template and the settings.
 * A template may require only extensions the image has, at the version the image has.
 */
public final class SettingsRendering {
    /** A rendered file: its absolute path in the image, its mode (octal text) and its content. */
    public record RenderedFile(String path, String mode, String content, String extension) {
        public String sha256() {
            return Digests.sha256(content);
        }
    }

    /** A rendered file larger than this is refused (nested loops over large lists grow fast). */
    static final int MAX_RENDERED_CHARS = 4 << 20;

    private SettingsRendering() {}

    /**
     * @param extensions the image's extensions by name (see {@link SettingsExtensions#gather})
     * @param templates the templates by their path in the image ({@code template-path})
     * @param settings every setting by dotted key, as the merge (and user data) gives them
     */
    public static List<RenderedFile> render(Map<String, SettingsExtension> extensions,
            Map<String, SettingsTemplate> templates, Map<String, Object> settings) throws SettingsException {
        Map<String, Object> context = Map.of("settings", nested(settings).getOrDefault("settings", Map.of()));
        List<RenderedFile> rendered = new ArrayList<>();
        for (SettingsExtension extension : new TreeMap<>(extensions).values()) {
            for (SettingsExtension.ConfigurationFile file : extension.configurationFiles().values()) {
                SettingsTemplate template = templates.get(file.templatePath());
                if (template == null) {
                    throw new SettingsException(extension.source() + ": configuration file " + file.name() + " is"
                            + " rendered from " + file.templatePath() + ", which no installed package ships.");
                }
                requireExtensions(template, extensions);
                String content;
                try {
                    content = template.render(context);
                } catch (dev.twoliter.engine.settings.template.SettingsTemplateException e) {
                    throw new SettingsException(e.getMessage(), e);
                }
                if (content.length() > MAX_RENDERED_CHARS) {
                    throw new SettingsException(template.displayName() + ": renders " + file.path() + " to more than "
                            + MAX_RENDERED_CHARS + " characters; a configuration file is at most that large.");
                }
                rendered.add(new RenderedFile(file.path(), file.mode(), content, extension.name()));
            }
        }
        rendered.sort(java.util.Comparator.comparing(RenderedFile::path));
        return rendered;
    }

    private static void requireExtensions(SettingsTemplate template, Map<String, SettingsExtension> extensions)
            throws SettingsException {
        for (ExtensionRequirement required : template.requiredExtensions().values()) {
            if (required.name().equals("std")) {
                continue; // the helpers, which come with the plugin
            }
            SettingsExtension present = extensions.get(required.name());
            if (present == null) {
                throw new SettingsException(template.displayName() + ": requires extension " + required.name() + " "
                        + required.version() + ", which the image does not have (it has: "
                        + String.join(", ", new TreeMap<>(extensions).keySet()) + ").");
            }
            if (!present.version().equals(required.version())) {
                throw new SettingsException(template.displayName() + ": requires extension " + required.name() + " "
                        + required.version() + ", but the image has " + present.version() + " (" + present.source()
                        + ").");
            }
        }
    }

    /** Dotted keys and tomlj values as nested maps and lists of strings, numbers and booleans. */
    static Map<String, Object> nested(Map<String, Object> flat) {
        Map<String, Object> root = new TreeMap<>();
        for (Map.Entry<String, Object> entry : new TreeMap<>(flat).entrySet()) {
            List<String> path = Toml.parseDottedKey(entry.getKey());
            Map<String, Object> parent = root;
            for (String name : path.subList(0, path.size() - 1)) {
                Object child = parent.computeIfAbsent(name, n -> new TreeMap<String, Object>());
                if (!(child instanceof Map<?, ?>)) {
                    // The merge and the user data refuse this before anything is rendered.
                    throw new IllegalArgumentException(entry.getKey() + " is below a value");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> table = (Map<String, Object>) child;
                parent = table;
            }
            parent.put(path.get(path.size() - 1), plain(entry.getValue()));
        }
        return root;
    }

    private static Object plain(Object value) {
        if (value instanceof TomlArray array) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                list.add(plain(array.get(i)));
            }
            return list;
        }
        if (value instanceof TomlTable table) {
            Map<String, Object> map = new TreeMap<>();
            for (String key : table.keySet()) {
                map.put(key, plain(table.get(List.of(key))));
            }
            return map;
        }
        if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value;
        }
        return String.valueOf(value); // dates and times, as their TOML text
    }
}
