package dev.twoliter.engine.settings.template;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Options;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parameters a helper was written with. Handlebars passes the first one as the helper's
 * context (or the current scope when there is none), so the count comes from the tag itself.
 */
final class HelperArguments {
    private final String helper;
    private final String template;
    private final List<Object> values;

    private HelperArguments(String helper, String template, List<Object> values) {
        this.helper = helper;
        this.template = template;
        this.values = values;
    }

    static HelperArguments of(String helper, String template, Object first, Options options, int expected) {
        Integer written = options.data(Context.PARAM_SIZE);
        List<Object> values = new ArrayList<>();
        if (written != null && written > 0) {
            values.add(first);
            values.addAll(Arrays.asList(options.params));
        }
        if (values.size() != expected) {
            throw new HelperFailure("Incorrect number of params provided to helper '" + helper + "' in template '"
                    + template + "' - " + expected + " expected, " + values.size() + " received");
        }
        List<Object> normalized = new ArrayList<>();
        for (Object value : values) {
            normalized.add(TemplateValues.normalizedLiteral(value));
        }
        return new HelperArguments(helper, template, normalized);
    }

    Object get(int index) {
        return values.get(index);
    }

    String string(int index) {
        Object value = values.get(index);
        if (value instanceof String text) {
            return text;
        }
        throw invalid("string", value);
    }

    HelperFailure invalid(String expected, Object value) {
        return new HelperFailure("Invalid template value for helper '" + helper + "', expected " + expected
                + ", got '" + TemplateValues.json(value) + "' in template " + template);
    }

    HelperFailure failure(String what) {
        return new HelperFailure("Helper '" + helper + "' in template '" + template + "': " + what);
    }
}
