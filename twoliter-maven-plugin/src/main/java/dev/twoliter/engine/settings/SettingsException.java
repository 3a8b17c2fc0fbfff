package dev.twoliter.engine.settings;

import dev.twoliter.engine.TwoliterException;

/** Settings that do not fit their models, or models and extensions that cannot be read. */
public class SettingsException extends TwoliterException {
    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
