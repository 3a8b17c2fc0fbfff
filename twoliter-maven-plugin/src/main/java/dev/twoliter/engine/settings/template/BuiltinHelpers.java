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
    /** handlebars-rust's built-ins, which Bottlerocket's templates use without declaring them. */
    static final Set<String> NAMES = Collections.unmodifiableSet(new TreeSet<>(List.of("each", "if", "log", "lookup",
            "unless", "with", "eq", "ne", "gt", "gte", "lt", "lte", "and", "or", "not", "len")));

    private BuiltinHelpers() {}

    /** The context data that counts a render's loop iterations. */
    static final String ITERATIONS = "twoliter.iterations";
    /** More loop iterations than this in one render fail it: nested loops over large lists would run for hours. */
    static final long MAX_ITERATIONS = 1_000_000;

    private static void countIterations(int size, com.github.jknack.handlebars.Options options, String template) {
        com.github.jknack.handlebars.Context root = options.context;
        while (root.parent() != null) {
            root = root.parent();
        }
        Object counter = root.data(ITERATIONS);
        if (counter instanceof java.util.concurrent.atomic.AtomicLong n && n.addAndGet(size) > MAX_ITERATIONS) {
            throw new HelperFailure("#each in template '" + template + "' ran more than " + MAX_ITERATIONS
                    + " iterations in one render; nested loops over large lists are refused");
        }
    }

    static void register(Handlebars handlebars, String template) {
        // In strict mode #each over a missing or non-iterable value fails unless an else branch says what to do.
        handlebars.registerHelper("each", (Object items, com.github.jknack.handlebars.Options options) -> {
            if (items instanceof List || items instanceof Map) {
                countIterations(items instanceof List<?> list ? list.size() : ((Map<?, ?>) items).size(), options,
                        template);
                return EachHelper.INSTANCE.apply(items, options);
            }
            if (options.inverse != Template.EMPTY) {
                return options.inverse();
            }
            throw new HelperFailure("#each in template '" + template + "' was given " + TemplateValues.json(items)
                    + ", not a list or map. Set the value, or add {{else}} for when it is missing");
        });
        handlebars.registerHelper("eq", (Object a, com.github.jknack.handlebars.Options o) -> equal(a, param(o, 0)));
        handlebars.registerHelper("ne", (Object a, com.github.jknack.handlebars.Options o) -> !equal(a, param(o, 0)));
        handlebars.registerHelper("gt", (Object a, com.github.jknack.handlebars.Options o) -> ordered(a, param(o, 0),
                c -> c > 0));
        handlebars.registerHelper("gte", (Object a, com.github.jknack.handlebars.Options o) -> ordered(a, param(o, 0),
                c -> c >= 0));
        handlebars.registerHelper("lt", (Object a, com.github.jknack.handlebars.Options o) -> ordered(a, param(o, 0),
                c -> c < 0));
        handlebars.registerHelper("lte", (Object a, com.github.jknack.handlebars.Options o) -> ordered(a, param(o, 0),
                c -> c <= 0));
        handlebars.registerHelper("and", (Object a, com.github.jknack.handlebars.Options o) -> truthy(a)
                && java.util.Arrays.stream(o.params).allMatch(BuiltinHelpers::truthy));
        handlebars.registerHelper("or", (Object a, com.github.jknack.handlebars.Options o) -> truthy(a)
                || java.util.Arrays.stream(o.params).anyMatch(BuiltinHelpers::truthy));
        handlebars.registerHelper("not", (Object a, com.github.jknack.handlebars.Options o) -> !truthy(a));
        handlebars.registerHelper("len", (Object a, com.github.jknack.handlebars.Options o) -> {
            if (a instanceof List<?> list) {
                return (long) list.size();
            }
            if (a instanceof Map<?, ?> map) {
                return (long) map.size();
            }
            if (a instanceof String text) {
                return (long) text.codePointCount(0, text.length());
            }
            throw new HelperFailure("len in template '" + template + "' was given " + TemplateValues.json(a)
                    + ", not a list, map or string");
        });
    }

    private static Object param(com.github.jknack.handlebars.Options options, int index) {
        return index < options.params.length ? options.params[index] : null;
    }

    /** Equal as JSON values: numbers by value, whatever their Java type. */
    private static boolean equal(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return java.util.Objects.equals(a, b);
    }

    /**
     * Numbers by value, strings in code point order; values that do not compare (a string and a number,
     * a missing value) are in no order, so every comparison of them is false.
     */
    private static boolean ordered(Object a, Object b, java.util.function.IntPredicate test) {
        if (a instanceof Number x && b instanceof Number y) {
            return test.test(Double.compare(x.doubleValue(), y.doubleValue()));
        }
        if (a instanceof String x && b instanceof String y) {
            return test.test(Integer.signum(x.compareTo(y)));
        }
        return false;
    }

    /** JSON truthiness as handlebars-rust has it: null, false, 0, "" and [] are false. */
    static boolean truthy(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return false;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof List<?> list) {
            return !list.isEmpty();
        }
        return true;
    }
}
