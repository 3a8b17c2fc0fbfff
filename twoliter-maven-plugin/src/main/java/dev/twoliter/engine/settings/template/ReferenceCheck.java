package dev.twoliter.engine.settings.template;

import com.github.jknack.handlebars.TagType;
import com.github.jknack.handlebars.Template;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses a compiled template that reads settings of an extension it did not require, or uses a
 * helper it did not declare: Bottlerocket only gives a template what its front matter names, so a
 * template that passes here but not there would fail on the host.
 */
final class ReferenceCheck {
    private ReferenceCheck() {}

    /**
     * Checks the template and returns what it reads under {@code settings}, each as its path below
     * {@code settings} (the extension first) and where it is read.
     */
    static List<SettingsRead> check(SourceText source, Template compiled, Map<String, ExtensionRequirement> required,
            Set<String> declaredStdHelpers) throws SettingsTemplateException {
        Set<String> helpers = new LinkedHashSet<>(compiled.collect(TagType.SECTION, TagType.SUB_EXPRESSION));
        List<String> references = new ArrayList<>(compiled.collectReferenceParameters());
        for (String name : compiled.collect(TagType.VAR, TagType.TRIPLE_VAR, TagType.AMP_VAR)) {
            if (BuiltinHelpers.NAMES.contains(name) || StdHelpers.NAMES.contains(name)) {
                helpers.add(name);
            } else {
                references.add(name);
            }
        }
        for (String helper : helpers) {
            checkHelper(source, helper, declaredStdHelpers);
        }
        List<SettingsRead> reads = new ArrayList<>();
        for (String reference : references) {
            checkReference(source, reference, required);
            String path = withoutScopePrefixes(reference);
            if (path.startsWith("settings.") || path.startsWith("settings/")) {
                reads.add(new SettingsRead(segments(path.substring("settings".length())), source.at(reference)));
            }
        }
        return List.copyOf(reads);
    }

    /** ".motd.x", "/motd/x" or ".[odd name].x" as its names. */
    private static List<String> segments(String rest) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < rest.length()) {
            i++; // the separator
            if (i < rest.length() && rest.charAt(i) == '[') {
                int close = rest.indexOf(']', i);
                int end = close < 0 ? rest.length() : close;
                names.add(rest.substring(i + 1, end));
                i = end + 1;
            } else {
                int end = i;
                while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '/') {
                    end++;
                }
                names.add(rest.substring(i, end));
                i = end;
            }
        }
        return names;
    }

    private static void checkHelper(SourceText source, String helper, Set<String> declared)
            throws SettingsTemplateException {
        if (BuiltinHelpers.NAMES.contains(helper) || declared.contains(helper)) {
            return;
        }
        if (StdHelpers.NAMES.contains(helper)) {
            throw new SettingsTemplateException(source.at(helper) + ": uses the std helper '" + helper
                    + "' without declaring it. Add it to the front matter: std = { version = \"v1\", helpers = [\""
                    + helper + "\"] } under [" + FrontMatter.TABLE + "].");
        }
        throw new SettingsTemplateException(source.at(helper) + ": uses '" + FrontMatter.printable(helper)
                + "' as a helper, but it is neither a Handlebars built-in (" + String.join(", ", BuiltinHelpers.NAMES)
                + ") nor a std helper (" + String.join(", ", StdHelpers.NAMES) + ").");
    }

    private static void checkReference(SourceText source, String reference, Map<String, ExtensionRequirement> required)
            throws SettingsTemplateException {
        String path = withoutScopePrefixes(reference);
        if (!path.equals("settings") && !path.startsWith("settings.") && !path.startsWith("settings/")) {
            return;
        }
        String extension = firstSegment(path.substring("settings".length()));
        if (extension.isEmpty()) {
            throw new SettingsTemplateException(source.at(reference) + ": reads '" + FrontMatter.printable(reference)
                    + "', all of settings. Read settings.<extension>... of an extension named in ["
                    + FrontMatter.TABLE + "] instead.");
        }
        if (!required.containsKey(extension)) {
            throw new SettingsTemplateException(source.at(reference) + ": reads '" + FrontMatter.printable(reference)
                    + "', but extension '" + FrontMatter.printable(extension) + "' is not in [" + FrontMatter.TABLE
                    + "] (it declares " + (required.isEmpty() ? "none" : String.join(", ", required.keySet()))
                    + "). Add " + FrontMatter.printable(extension) + " = \"v1\" there.");
        }
    }

    // {{@root.settings.x}}, {{this.settings.x}} and {{../settings.x}} reach the same root settings.
    private static String withoutScopePrefixes(String reference) {
        String path = reference;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String prefix : List.of("@root.", "@root/", "this.", "this/", "./", "../")) {
                if (path.startsWith(prefix)) {
                    path = path.substring(prefix.length());
                    changed = true;
                }
            }
        }
        return path;
    }

    // After "settings": ".motd.x", "/motd" or ".[odd name].x" give the extension's name.
    private static String firstSegment(String rest) {
        if (rest.isEmpty()) {
            return "";
        }
        String segment = rest.substring(1);
        if (segment.startsWith("[")) {
            int close = segment.indexOf(']');
            return close < 0 ? segment.substring(1) : segment.substring(1, close);
        }
        int end = segment.length();
        for (char separator : new char[] {'.', '/'}) {
            int at = segment.indexOf(separator);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return segment.substring(0, end);
    }
}
