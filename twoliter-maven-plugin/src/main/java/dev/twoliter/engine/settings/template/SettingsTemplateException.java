package dev.twoliter.engine.settings.template;

import dev.twoliter.engine.settings.SettingsException;

/**
 * A settings template that cannot be parsed, checked or rendered. The message names the template
 * (the display name its caller gave), the line where that is known, and what to change.
 */
public class SettingsTemplateException extends SettingsException {
    private static final long serialVersionUID = 1L;

    public SettingsTemplateException(String message) {
        super(message);
    }

    public SettingsTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
