package dev.twoliter.engine.settings.template;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.helper.EachHelper;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The helpers every template may use without declaring them, and the strictness Bottlerocket's
 * renderer (handlebars-rust in strict mode) gives them.
 */
final class BuiltinHelpers {
    static final Set<String> NAMES =
            Collections.unmodifiableSet(new TreeSet<>(List.of("each", "if", "log", "lookup", "unless", "with")));

    private BuiltinHelpers() {}

    static void register(Handlebars handlebars, String template) {
        // In strict mode #each over a missing or non-iterable value fails unless an else branch says what to do.
        handlebars.registerHelper("each", (Object items, com.github.jknack.handlebars.Options options) -> {
            if (items instanceof List || items instanceof Map) {
                return EachHelper.INSTANCE.apply(items, options);
            }
            if (options.inverse != Template.EMPTY) {
                return options.inverse();
            }
            throw new HelperFailure("#each in template '" + template + "' was given " + TemplateValues.json(items)
                    + ", not a list or map. Set the value, or add {{else}} for when it is missing");
        });
    }
}
