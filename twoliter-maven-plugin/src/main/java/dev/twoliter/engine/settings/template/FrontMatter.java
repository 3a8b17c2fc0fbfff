package dev.twoliter.engine.settings.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * The TOML before a template's {@code +++} line: which settings extensions (and std helpers) the
 * template needs. Template files come from kits the build did not write, so every name and version
 * is checked against the shapes Bottlerocket accepts before it goes anywhere else.
 */
final class FrontMatter {
    static final String TABLE = "required-extensions";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern HELPER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("v[0-9]{1,4}");
    private static final int MAX_HELPERS = 64;

    private FrontMatter() {}

    /** Parses the front matter; {@code firstLine} is its line in the file, for messages. */
    static Map<String, ExtensionRequirement> parse(String template, String text, int firstLine)
            throws SettingsTemplateException {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            var error = toml.errors().get(0);
            throw new SettingsTemplateException(template + ":" + fileLine(error.position(), firstLine)
                    + ": the front matter is not valid TOML (" + error.getMessage()
                    + "). Write it as TOML, e.g. [required-extensions] then motd = \"v1\", before the +++ line.");
        }
        for (String key : toml.keySet()) {
            if (!key.equals(TABLE)) {
                throw at(template, toml.inputPositionOf(List.of(key)), firstLine, "the front matter has '" + key
                        + "', which Bottlerocket does not know. Only [" + TABLE + "] belongs there; remove the rest.");
            }
        }
        if (!toml.contains(List.of(TABLE))) {
            return Map.of();
        }
        if (!toml.isTable(List.of(TABLE))) {
            throw at(template, toml.inputPositionOf(List.of(TABLE)), firstLine,
                    TABLE + " must be a table: [" + TABLE + "] with lines like motd = \"v1\".");
        }
        TomlTable table = toml.getTable(List.of(TABLE));
        Map<String, ExtensionRequirement> requirements = new LinkedHashMap<>();
        for (String name : table.keySet()) {
            TomlPosition where = table.inputPositionOf(List.of(name));
            if (!NAME.matcher(name).matches()) {
                throw at(template, where, firstLine, "the extension name '" + printable(name)
                        + "' is not valid. Extension names are lower-case letters, digits and '-', 1 to 64 long.");
            }
            requirements.put(name, requirement(template, name, table.get(List.of(name)), where, firstLine));
        }
        return Collections.unmodifiableMap(requirements);
    }

    private static ExtensionRequirement requirement(String template, String name, Object value, TomlPosition where,
            int firstLine) throws SettingsTemplateException {
        if (value instanceof String version) {
            return new ExtensionRequirement(name, checkedVersion(template, name, version, where, firstLine), List.of());
        }
        if (!(value instanceof TomlTable inline)) {
            throw at(template, where, firstLine, "extension '" + name + "' must be a version string (" + name
                    + " = \"v1\") or a table (" + name + " = { version = \"v1\", helpers = [\"...\"] }).");
        }
        for (String key : inline.keySet()) {
            if (!key.equals("version") && !key.equals("helpers")) {
                throw at(template, where, firstLine, "extension '" + name + "' has '" + printable(key)
                        + "'; only version and helpers are allowed.");
            }
        }
        if (!inline.isString(List.of("version"))) {
            throw at(template, where, firstLine, "extension '" + name
                    + "' needs a version string: " + name + " = { version = \"v1\", ... }.");
        }
        String version = checkedVersion(template, name, inline.getString(List.of("version")), where, firstLine);
        return new ExtensionRequirement(name, version, helpers(template, name, inline, where, firstLine));
    }

    private static List<String> helpers(String template, String name, TomlTable inline, TomlPosition where,
            int firstLine) throws SettingsTemplateException {
        if (!inline.contains(List.of("helpers"))) {
            return List.of();
        }
        if (!inline.isArray(List.of("helpers"))) {
            throw at(template, where, firstLine, "the helpers of extension '" + name
                    + "' must be a list of names: helpers = [\"default\", \"join_array\"].");
        }
        TomlArray array = inline.getArray(List.of("helpers"));
        if (array.size() > MAX_HELPERS) {
            throw at(template, where, firstLine, "extension '" + name + "' names " + array.size()
                    + " helpers; at most " + MAX_HELPERS + " are allowed.");
        }
        List<String> helpers = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Object helper = array.get(i);
            if (!(helper instanceof String helperName) || !HELPER.matcher(helperName).matches()) {
                throw at(template, where, firstLine, "extension '" + name + "' names the helper '"
                        + printable(String.valueOf(helper)) + "', which is not a helper name (lower-case letters, "
                        + "digits, '_' and '-').");
            }
            if (!name.equals(StdHelpers.EXTENSION)) {
                throw at(template, where, firstLine, "extension '" + name + "' names the helper '" + helperName
                        + "', but only the std extension's helpers are available here. Use std helpers ("
                        + String.join(", ", StdHelpers.NAMES) + ") or render without it.");
            }
            if (!StdHelpers.NAMES.contains(helperName)) {
                throw at(template, where, firstLine, "std has no helper '" + helperName + "'. Its helpers are: "
                        + String.join(", ", StdHelpers.NAMES) + ".");
            }
            helpers.add(helperName);
        }
        return helpers;
    }

    private static String checkedVersion(String template, String name, String version, TomlPosition where,
            int firstLine) throws SettingsTemplateException {
        if (!VERSION.matcher(version).matches()) {
            throw at(template, where, firstLine, "extension '" + name + "' has the version '" + printable(version)
                    + "'. Versions are 'v' and a number, like \"v1\".");
        }
        return version;
    }

    private static SettingsTemplateException at(String template, TomlPosition where, int firstLine, String what) {
        return new SettingsTemplateException(template + ":" + fileLine(where, firstLine) + ": " + what);
    }

    private static int fileLine(TomlPosition where, int firstLine) {
        return where == null ? firstLine : firstLine + where.line() - 1;
    }

    // Names come from untrusted files: keep control characters and overlong text out of messages.
    static String printable(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
