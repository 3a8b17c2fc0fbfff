package dev.twoliter.engine.settings.template;

import java.util.List;

/**
 * A setting a template reads by its full path.
 *
 * @param path the names below {@code settings}, the extension first ({@code [ntp, time-servers]})
 * @param location the template and line that read it
 */
public record SettingsRead(List<String> path, String location) {
    public SettingsRead {
        path = List.copyOf(path);
    }
}
