package dev.twoliter.engine.settings.template;

import dev.twoliter.engine.TwoliterException;

/**
 * A settings template that cannot be parsed, checked or rendered. The message names the template
 * (the display name its caller gave), the line where that is known, and what to change.
 */
// Not a SettingsException: the template package stays below the settings package (no cycle).
public class SettingsTemplateException extends TwoliterException {
    private static final long serialVersionUID = 1L;

    public SettingsTemplateException(String message) {
        super(message);
    }

    public SettingsTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
