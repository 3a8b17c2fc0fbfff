package dev.twoliter.engine.settings;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.settings.template.SettingsRead;
import dev.twoliter.engine.settings.template.SettingsTemplate;
import dev.twoliter.engine.settings.template.SettingsTemplateException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An image's settings from its {@link SettingsBundle}, in order: the defaults merged; every
 * extension declared, one per name and one renderer per path; every model loaded; the defaults
 * validated against the models; every template a configuration file names compiled and checked
 * against its extensions; (user data applied and validated;) every configuration file rendered.
 * An image without extensions keeps its merged defaults unchecked, as before extensions existed.
 */
public final class SettingsCheck {
    /**
     * What the check found and made.
     *
     * @param settings the settings the files were rendered from (the defaults, or user data over them)
     * @param origins where each setting was set
     */
    public record Result(SettingsDefaults.Merged defaults, Map<String, SettingsExtension> extensions,
            Map<String, SettingsModel> models, Map<String, Object> settings, Map<String, String> origins,
            List<SettingsRendering.RenderedFile> files) {
        /** Whether the settings were checked against models (false: the image declares no extension). */
        public boolean checked() {
            return !extensions.isEmpty();
        }
    }

    /** A fleet's user data: its text and how messages name it. */
    public record UserDataInput(String text, String source) {}

    private SettingsCheck() {}

    /** The image's settings from its defaults alone, as the build renders them into the image. */
    public static Result defaults(SettingsBundle bundle, String module) throws TwoliterException {
        return run(bundle, module, Optional.empty());
    }

    /** The settings a machine of this image would have with this user data. */
    public static Result withUserData(SettingsBundle bundle, String module, UserDataInput userData)
            throws TwoliterException {
        return run(bundle, module, Optional.of(userData));
    }

    private static Result run(SettingsBundle bundle, String module, Optional<UserDataInput> userData)
            throws TwoliterException {
        SettingsDefaults.Merged defaults = SettingsDefaults.merge(bundle.fragments(), module);
        Map<String, SettingsExtension> extensions = declareExtensions(bundle, module);
        Map<String, SettingsModel> models = loadModels(bundle, extensions, module);
        if (!extensions.isEmpty()) {
            SettingsValidation.check(defaults.values(), defaults.origins(), models,
                    module + ": the image's default settings");
        }
        Map<String, SettingsTemplate> templates = compileTemplates(bundle, extensions, models, module);
        Map<String, Object> settings = defaults.values();
        Map<String, String> origins = defaults.origins();
        if (userData.isPresent()) {
            UserData applied = UserData.apply(settings, origins, userData.get().text(), userData.get().source());
            if (extensions.isEmpty()) {
                throw new SettingsException(module + ": the image declares no settings extension, so there is"
                        + " nothing to check " + userData.get().source() + " against (a package declares one in /"
                        + SettingsBundle.EXTENSIONS_DIR + "/<name>/" + SettingsExtension.FILE_NAME + ").");
            }
            SettingsValidation.check(applied.settings(), applied.origins(), models, module + ": the settings of "
                    + userData.get().source());
            settings = applied.settings();
            origins = applied.origins();
        }
        List<SettingsRendering.RenderedFile> files = SettingsRendering.render(extensions, templates, settings);
        return new Result(defaults, extensions, models, settings, origins, files);
    }

    private static Map<String, SettingsExtension> declareExtensions(SettingsBundle bundle, String module)
            throws SettingsException {
        if (bundle.extensions().size() > SettingsBundle.MAX_EXTENSIONS) {
            throw new SettingsException(module + ": the image has more than " + SettingsBundle.MAX_EXTENSIONS
                    + " settings extensions.");
        }
        List<SettingsExtension> declared = new ArrayList<>();
        for (SettingsBundle.ExtensionFiles files : bundle.extensions()) {
            byte[] declaration = files.files().get(SettingsExtension.FILE_NAME);
            if (declaration == null) {
                throw new SettingsException(module + ": /" + SettingsBundle.EXTENSIONS_DIR + "/" + files.directory()
                        + "/ (" + owner(files) + ") has no " + SettingsExtension.FILE_NAME + "; an extension's"
                        + " directory holds its declaration and its model.");
            }
            SettingsExtension extension = SettingsExtension.parse(new String(declaration, StandardCharsets.UTF_8),
                    files.source());
            if (!extension.name().equals(files.directory())) {
                throw new SettingsException(files.source() + ": declares extension " + extension.name() + " in the"
                        + " directory of " + files.directory() + "; an extension's directory has its name.");
            }
            declared.add(extension);
        }
        return SettingsExtensions.gather(declared);
    }

    private static Map<String, SettingsModel> loadModels(SettingsBundle bundle,
            Map<String, SettingsExtension> extensions, String module) throws SettingsException {
        Map<String, SettingsModel> models = new TreeMap<>();
        for (SettingsBundle.ExtensionFiles files : bundle.extensions()) {
            SettingsExtension extension = extensions.get(files.directory());
            byte[] model = files.files().get(extension.modelFile());
            String source = owner(files) + " /" + SettingsBundle.EXTENSIONS_DIR + "/" + files.directory() + "/"
                    + extension.modelFile();
            if (model == null) {
                throw new SettingsException(files.source() + ": the model " + extension.modelFile() + " is not"
                        + " beside the declaration (" + module + ").");
            }
            models.put(extension.name(), SettingsModel.load(extension.name(), extension.version(), source, model));
        }
        return models;
    }

    /** The templates the extensions' configuration files name, each compiled and checked once. */
    private static Map<String, SettingsTemplate> compileTemplates(SettingsBundle bundle,
            Map<String, SettingsExtension> extensions, Map<String, SettingsModel> models, String module)
            throws SettingsException {
        Map<String, SettingsTemplate> templates = new TreeMap<>();
        for (SettingsExtension extension : extensions.values()) {
            for (SettingsExtension.ConfigurationFile file : extension.configurationFiles().values()) {
                String text = bundle.templates().get(file.templatePath());
                if (text == null) {
                    throw new SettingsException(extension.source() + ": configuration file " + file.name() + " is"
                            + " rendered from " + file.templatePath() + ", which no installed package ships ("
                            + module + ").");
                }
                if (!templates.containsKey(file.templatePath())) {
                    SettingsTemplate template;
                    try {
                        template = SettingsTemplate.parse("template " + file.templatePath() + " (configuration file "
                                + file.name() + " of " + extension.source() + ")", text);
                    } catch (SettingsTemplateException e) {
                        throw new SettingsException(e.getMessage(), e);
                    }
                    checkReads(template, models);
                    templates.put(file.templatePath(), template);
                }
            }
        }
        return templates;
    }

    /** A template may read only settings its extensions' models define (a misspelt key fails here, not on a machine). */
    private static void checkReads(SettingsTemplate template, Map<String, SettingsModel> models)
            throws SettingsException {
        for (SettingsRead read : template.settingsReads()) {
            SettingsModel model = models.get(read.path().get(0));
            if (model == null) {
                continue; // SettingsRendering names a required extension the image lacks
            }
            java.util.Optional<String> undefined = model.undefined(read.path().subList(1, read.path().size()));
            if (undefined.isPresent()) {
                throw new SettingsException(read.location() + ": reads settings." + String.join(".", read.path())
                        + ", which no model defines: " + undefined.get() + ".");
            }
        }
    }

    private static String owner(SettingsBundle.ExtensionFiles files) {
        return files.owner().isEmpty() ? "(no package)" : "package " + files.owner();
    }
}
