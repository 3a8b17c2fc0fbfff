package dev.twoliter.engine.settings.template;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.context.MapValueResolver;
import com.github.jknack.handlebars.io.AbstractTemplateLoader;
import com.github.jknack.handlebars.io.TemplateSource;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Bottlerocket settings template: TOML front matter naming the settings extensions it reads, a
 * line that is exactly {@code +++}, then a Handlebars body rendered into a configuration file.
 * Rendering follows Bottlerocket's schnauzer: strict (a value the body prints must be set), no
 * HTML escaping, and only the helpers the front matter declares.
 */
public final class SettingsTemplate {
    /** Templates are small config files; anything larger is refused before parsing. */
    public static final int MAX_CHARS = 1024 * 1024;
    private static final String SEPARATOR = "+++";
    private static final Pattern UNKNOWN_HELPER = Pattern.compile("could not find helper: '([^']*)'");

    private final String displayName;
    private final Map<String, ExtensionRequirement> requiredExtensions;
    private final SourceText source;
    private final Template compiled;
    private final List<SettingsRead> reads;

    private SettingsTemplate(String displayName, Map<String, ExtensionRequirement> requiredExtensions,
            SourceText source, Template compiled, List<SettingsRead> reads) {
        this.displayName = displayName;
        this.requiredExtensions = requiredExtensions;
        this.source = source;
        this.compiled = compiled;
        this.reads = reads;
    }

    /**
     * Parses, compiles and checks a template file's text.
     *
     * @param displayName how messages name the template, e.g. the package and path it came from
     */
    public static SettingsTemplate parse(String displayName, String text) throws SettingsTemplateException {
        if (text.length() > MAX_CHARS) {
            throw new SettingsTemplateException(displayName + ": is " + text.length() + " characters; templates may "
                    + "have at most " + MAX_CHARS + ". Split it, or check that the right file is named.");
        }
        int separatorLine = 0;
        int bodyStart = -1;
        int lineStart = 0;
        while (lineStart <= text.length()) {
            separatorLine++;
            int newline = text.indexOf('\n', lineStart);
            int lineEnd = newline < 0 ? text.length() : newline;
            String line = text.substring(lineStart, lineEnd);
            if (line.equals(SEPARATOR) || line.equals(SEPARATOR + "\r")) {
                bodyStart = newline < 0 ? text.length() : newline + 1;
                break;
            }
            if (newline < 0) {
                break;
            }
            lineStart = newline + 1;
        }
        if (bodyStart < 0) {
            throw new SettingsTemplateException(displayName + ":1: has no line '+++'. A settings template starts "
                    + "with TOML front matter ([required-extensions], e.g. motd = \"v1\"), then a line that is "
                    + "exactly +++, then the Handlebars body.");
        }
        String frontMatter = text.substring(0, lineStart);
        Map<String, ExtensionRequirement> required = FrontMatter.parse(displayName, frontMatter, 1);
        SourceText source = new SourceText(displayName, text.substring(bodyStart), separatorLine + 1);
        Set<String> stdHelpers = new LinkedHashSet<>();
        if (required.containsKey(StdHelpers.EXTENSION)) {
            stdHelpers.addAll(required.get(StdHelpers.EXTENSION).helpers());
        }
        // Compiled once without a missing-value hook, so an unknown helper with arguments fails here.
        Template checked = compile(source, handlebars(displayName, stdHelpers));
        List<SettingsRead> reads = ReferenceCheck.check(source, checked, required, stdHelpers);
        Handlebars strict = handlebars(displayName, stdHelpers);
        // Handlebars binds this hook at compile time: the rendered template fails on unset values.
        strict.registerHelperMissing((context, options) -> {
            throw new HelperFailure("'" + FrontMatter.printable(options.helperName) + "' is not set, and Bottlerocket "
                    + "renders templates strictly. Set it, or guard it with {{#if}}, {{#if_not_null}} or {{default}}");
        });
        return new SettingsTemplate(displayName, required, source, compile(source, strict), reads);
    }

    public String displayName() {
        return displayName;
    }

    /** The settings the template reads by their full paths (those under {{#each}} by {{this}} are not here). */
    public List<SettingsRead> settingsReads() {
        return reads;
    }

    /** The front matter's extensions, in file order. */
    public Map<String, ExtensionRequirement> requiredExtensions() {
        return requiredExtensions;
    }

    /**
     * Renders the body.
     *
     * @param context {@code {"settings": {...}, "os": {...}}} as nested maps, lists, strings, numbers and
     *     booleans
     */
    public String render(Map<String, Object> context) throws SettingsTemplateException {
        Object values;
        try {
            values = ContextValues.copy(context, "context");
        } catch (IllegalArgumentException e) {
            throw new SettingsTemplateException(displayName + ": cannot be rendered: " + e.getMessage() + ".", e);
        }
        Context scope = Context.newBuilder(values).resolver(MapValueResolver.INSTANCE).build();
        scope.data(BuiltinHelpers.ITERATIONS, new java.util.concurrent.atomic.AtomicLong());
        try {
            return compiled.apply(scope);
        } catch (HandlebarsException e) {
            throw failure(source, "cannot be rendered", e);
        } catch (HelperFailure e) {
            throw new SettingsTemplateException(displayName + ": " + e.getMessage() + ".", e);
        } catch (IOException e) {
            throw new SettingsTemplateException(displayName + ": cannot be rendered: " + e.getMessage(), e);
        } finally {
            scope.destroy();
        }
    }

    private static Handlebars handlebars(String displayName, Set<String> stdHelpers) {
        // prettyPrint drops lines that hold only a block tag, as handlebars-rust 4 does (its "standalone
        // statements"): Bottlerocket's templates put {{#each}} and {{/each}} on lines of their own.
        Handlebars handlebars = new Handlebars(new NoPartials()).with(EscapingStrategy.NOOP).prettyPrint(true);
        BuiltinHelpers.register(handlebars, displayName);
        StdHelpers.register(handlebars, stdHelpers, displayName);
        return handlebars;
    }

    private static Template compile(SourceText source, Handlebars handlebars) throws SettingsTemplateException {
        try {
            return handlebars.compileInline(source.body());
        } catch (HandlebarsException e) {
            throw failure(source, "is not a valid Handlebars template", e);
        } catch (IOException e) {
            throw new SettingsTemplateException(source.template() + ": cannot be compiled: " + e.getMessage(), e);
        }
    }

    private static SettingsTemplateException failure(SourceText source, String what, HandlebarsException e) {
        HandlebarsError error = e.getError();
        String where = error == null ? source.template()
                : source.template() + ":" + source.fileLine(error.line) + ":" + error.column;
        Throwable cause = e.getCause();
        String reason = cause instanceof HelperFailure ? cause.getMessage()
                : error != null ? error.reason : e.getMessage();
        Matcher unknownHelper = reason == null ? null : UNKNOWN_HELPER.matcher(reason);
        if (unknownHelper != null && unknownHelper.find()) {
            String helper = unknownHelper.group(1);
            reason = StdHelpers.NAMES.contains(helper)
                    ? "uses the std helper '" + helper + "' without declaring it. Add it to the front matter: "
                            + "std = { version = \"v1\", helpers = [\"" + helper + "\"] }"
                    : reason + "; only the Handlebars built-ins (" + String.join(", ", BuiltinHelpers.NAMES)
                            + ") and std helpers named in the front matter (std = { version = \"v1\", helpers = "
                            + "[...] }) are available";
        }
        // Not chained: Maven would print the parser's own message, with its internal template name, too.
        return new SettingsTemplateException(where + ": " + what + ": " + reason + ".");
    }

    // Bottlerocket templates have no partials; a {{> name}} must not read files or the class path.
    private static final class NoPartials extends AbstractTemplateLoader {
        @Override
        public TemplateSource sourceAt(String location) throws IOException {
            throw new IOException("partials ({{> " + FrontMatter.printable(location) + "}}) are not supported in "
                    + "settings templates");
        }
    }
}
