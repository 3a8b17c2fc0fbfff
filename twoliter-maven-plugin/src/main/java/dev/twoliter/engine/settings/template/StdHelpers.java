package dev.twoliter.engine.settings.template;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Options;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Bottlerocket's "std" helpers (schnauzer's v2 helper set), with its semantics and messages. A
 * template gets only the ones it names in {@code std = { version = "v1", helpers = [...] }}, as on
 * Bottlerocket, where naming them is what registers them.
 */
public final class StdHelpers {
    /** The pseudo-extension whose helpers these are; it has no settings of its own. */
    public static final String EXTENSION = "std";

    /** Every std helper, sorted. Kubernetes, AWS, ECS, network and OCI helpers are not in std. */
    public static final Set<String> NAMES = java.util.Collections.unmodifiableSet(new TreeSet<>(List.of(
            "any_enabled", "base64_decode", "default", "goarch", "if_not_null", "is_array", "is_bool", "is_null",
            "is_number", "is_object", "is_string", "join_array", "join_map", "negate_or_else", "toml_encode")));

    private StdHelpers() {}

    /**
     * Registers the named std helpers; {@code template} is the display name their messages use.
     *
     * @throws IllegalArgumentException for a name that is not a std helper
     */
    public static void register(Handlebars handlebars, Collection<String> helperNames, String template) {
        for (String name : helperNames) {
            handlebars.registerHelper(name, helper(name, template));
        }
    }

    private static Helper<Object> helper(String name, String template) {
        return switch (name) {
            case "any_enabled" -> (first, options) -> anyEnabled(args(name, template, first, options, 1).get(0));
            case "base64_decode" -> (first, options) -> base64Decode(args(name, template, first, options, 1));
            case "default" -> (first, options) -> defaultValue(args(name, template, first, options, 2));
            case "goarch" -> (first, options) -> goarch(args(name, template, first, options, 1));
            case "if_not_null" -> (first, options) -> ifNotNull(args(name, template, first, options, 1), options);
            case "is_array" -> reflective(name, template, value -> value instanceof List);
            case "is_bool" -> reflective(name, template, value -> value instanceof Boolean);
            case "is_null" -> reflective(name, template, value -> value == null);
            case "is_number" -> reflective(name, template, TemplateValues::isNumber);
            case "is_object" -> reflective(name, template, value -> value instanceof Map);
            case "is_string" -> reflective(name, template, value -> value instanceof String);
            case "join_array" -> (first, options) -> joinArray(args(name, template, first, options, 2));
            case "join_map" -> (first, options) -> joinMap(args(name, template, first, options, 4));
            case "negate_or_else" -> (first, options) -> negateOrElse(args(name, template, first, options, 2));
            case "toml_encode" -> (first, options) -> tomlEncode(args(name, template, first, options, 1));
            default -> throw new IllegalArgumentException("std has no helper '" + name + "'");
        };
    }

    private static HelperArguments args(String name, String template, Object first, Options options, int count) {
        return HelperArguments.of(name, template, first, options, count);
    }

    // True if any item (of a list, or value of a map) is an object whose "enabled" is boolean true.
    private static Boolean anyEnabled(Object value) {
        Collection<?> items = value instanceof List<?> list ? list
                : value instanceof Map<?, ?> map ? map.values() : List.of();
        return items.stream().anyMatch(item -> item instanceof Map<?, ?> object
                && Boolean.TRUE.equals(object.get("enabled")));
    }

    private static Object base64Decode(HelperArguments args) {
        String encoded = args.string(0);
        byte[] bytes;
        try {
            // Bottlerocket's decoder requires canonical padding; Java's would accept "hi" unpadded.
            if (encoded.length() % 4 != 0) {
                throw new IllegalArgumentException("its length is not a multiple of 4 (padding missing)");
            }
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw args.failure("unable to decode base64 '" + FrontMatter.printable(encoded) + "': " + e.getMessage());
        }
        try {
            return safe(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            throw args.failure("invalid (non-utf8) output from base64 string '" + FrontMatter.printable(encoded) + "'");
        }
    }

    // Writes the value if it is set, else the default; both must be scalars.
    private static Object defaultValue(HelperArguments args) {
        Object fallback = args.get(0);
        if (!TemplateValues.isScalar(fallback)) {
            throw args.invalid("non-null scalar", fallback);
        }
        Object value = args.get(1);
        if (value == null) {
            return safe(TemplateValues.display(fallback));
        }
        if (!TemplateValues.isScalar(value)) {
            throw args.invalid("scalar", value);
        }
        return safe(TemplateValues.display(value));
    }

    private static Object goarch(HelperArguments args) {
        String arch = args.string(0);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> throw args.failure("unknown architecture '" + FrontMatter.printable(arch)
                    + "' given to goarch helper; it knows x86_64, amd64, aarch64 and arm64");
        };
    }

    // Unlike #if, false, 0, "" and [] count as set: only a missing or null value takes the else branch.
    private static Object ifNotNull(HelperArguments args, Options options) throws java.io.IOException {
        return args.get(0) != null ? options.fn() : options.inverse();
    }

    private static Helper<Object> reflective(String name, String template, Predicate<Object> test) {
        // Missing values count as null here, as they do for Bottlerocket's helpers even in strict mode.
        return (first, options) -> test.test(args(name, template, first, options, 1).get(0));
    }

    // Quotes each string: ["a", "b"] with ", " gives "a", "b".
    private static Object joinArray(HelperArguments args) {
        String delimiter = args.string(0);
        if (!(args.get(1) instanceof List<?> items)) {
            throw args.invalid("array", args.get(1));
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof String text)) {
                throw args.invalid("array of strings", items);
            }
            joined.append(i > 0 ? delimiter : "").append('"').append(text).append('"');
        }
        return safe(joined.toString());
    }

    private static Object joinMap(HelperArguments args) {
        String keyJoin = args.string(0);
        String pairJoin = args.string(1);
        Object behaviour = args.get(2);
        boolean failIfMissing;
        if ("fail-if-missing".equals(behaviour)) {
            failIfMissing = true;
        } else if ("no-fail-if-missing".equals(behaviour)) {
            failIfMissing = false;
        } else {
            throw args.invalid("fail-if-missing or no-fail-if-missing", behaviour);
        }
        if (!(args.get(3) instanceof Map<?, ?> map)) {
            if (failIfMissing) {
                throw args.failure("missing data and fail-if-missing was set; the map is "
                        + TemplateValues.json(args.get(3)) + ". Set it, or pass \"no-fail-if-missing\"");
            }
            return "";
        }
        return safe(map.entrySet().stream().map(entry -> {
            Object value = entry.getValue();
            if (value == null) {
                throw args.invalid("non-null", null);
            }
            if (!TemplateValues.isScalar(value)) {
                throw args.invalid("scalar", value);
            }
            return entry.getKey() + keyJoin + TemplateValues.display(value);
        }).collect(Collectors.joining(pairJoin)));
    }

    // Negates a boolean; a missing value gives the fallback unchanged.
    private static Object negateOrElse(HelperArguments args) {
        if (!(args.get(0) instanceof Boolean fallback)) {
            throw args.invalid("boolean", args.get(0));
        }
        Object value = args.get(1);
        if (value == null) {
            return fallback.toString();
        }
        if (!(value instanceof Boolean b)) {
            throw args.invalid("boolean", value);
        }
        return Boolean.toString(!b);
    }

    private static Object tomlEncode(HelperArguments args) {
        try {
            return safe(TomlValueEncoder.encode(args.get(0)));
        } catch (IllegalArgumentException e) {
            throw args.failure("unable to encode input '" + TemplateValues.json(args.get(0)) + "' as toml: "
                    + e.getMessage());
        }
    }

    // Output of helpers goes into config files as it is, never HTML-escaped.
    private static CharSequence safe(String text) {
        return new Handlebars.SafeString(text);
    }
}
