package dev.twoliter.engine.rpm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The arches a spec says it builds for, read from its preamble ({@code BuildArch}, {@code
 * ExclusiveArch}, {@code ExcludeArch}) so that a build for several arches skips the arches a spec
 * refuses without starting a container, and builds a noarch spec once. Values that use macros
 * cannot be read without rpm: such a spec is built for every arch and rpmbuild decides.
 */
public record SpecArches(boolean noarch, Optional<List<String>> exclusive, List<String> excluded) {
    private static final Pattern SECTION = Pattern.compile("%(package|description|prep|generate_buildrequires|conf"
            + "|build|install|check|files|changelog|pre|post|preun|postun|pretrans|posttrans|trigger\\w*)(\\s|$)");

    public static SpecArches of(String specText) {
        boolean noarch = false;
        Optional<List<String>> exclusive = Optional.empty();
        List<String> excluded = new ArrayList<>();
        for (String raw : specText.split("\n")) {
            String line = raw.strip();
            if (SECTION.matcher(line).lookingAt()) {
                break; // the main preamble ends here; a subpackage's BuildArch concerns that subpackage
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String tag = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            List<String> values = List.of(line.substring(colon + 1).strip().split("[,\\s]+"));
            boolean literal = values.stream().noneMatch(v -> v.contains("%") || v.isEmpty());
            switch (tag) {
                case "buildarch", "buildarchitectures" -> {
                    if (literal && values.equals(List.of(dev.twoliter.engine.artifact.RpmFileName.NOARCH))) {
                        noarch = true;
                    }
                }
                case "exclusivearch" -> {
                    if (!literal) {
                        return new SpecArches(false, Optional.empty(), List.of());
                    }
                    List<String> all = new ArrayList<>(exclusive.orElse(List.of()));
                    all.addAll(values);
                    exclusive = Optional.of(List.copyOf(all));
                }
                case "excludearch" -> {
                    if (!literal) {
                        return new SpecArches(false, Optional.empty(), List.of());
                    }
                    excluded.addAll(values);
                }
                default -> { }
            }
        }
        return new SpecArches(noarch, exclusive, List.copyOf(excluded));
    }

    /** Whether the spec builds for {@code arch} (a noarch spec builds for any). */
    public boolean builds(String arch) {
        if (noarch) {
            return true;
        }
        return exclusive.map(list -> list.contains(arch) || list.contains(dev.twoliter.engine.artifact.RpmFileName.NOARCH)).orElse(true)
                && !excluded.contains(arch);
    }

    /** What the spec allows, for messages. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        exclusive.ifPresent(list -> parts.add("ExclusiveArch: " + String.join(" ", list)));
        if (!excluded.isEmpty()) {
            parts.add("ExcludeArch: " + String.join(" ", excluded));
        }
        return String.join(", ", parts);
    }
}
