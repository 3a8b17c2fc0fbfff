package dev.twoliter.engine.settings.template;

/**
 * A helper refused its input. Handlebars wraps it with the tag's position; {@link SettingsTemplate}
 * turns it into a {@link SettingsTemplateException} with the file line.
 */
final class HelperFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HelperFailure(String message) {
        super(message);
    }
}
