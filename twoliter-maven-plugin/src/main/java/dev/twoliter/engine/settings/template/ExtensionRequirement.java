package dev.twoliter.engine.settings.template;

import java.util.List;

/**
 * One entry of a template's {@code [required-extensions]}: the settings extension the template reads,
 * at which version, and the helpers it takes from that extension (only {@code std} has helpers here).
 */
public record ExtensionRequirement(String name, String version, List<String> helpers) {
    public ExtensionRequirement {
        helpers = List.copyOf(helpers);
    }
}
