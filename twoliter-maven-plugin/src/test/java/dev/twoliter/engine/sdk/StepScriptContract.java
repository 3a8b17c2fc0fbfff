package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a started step's script against the environment its step class rendered: every variable
 * the script reads is either given or set by the script itself, and every variable given is read
 * (by the script or, for a few, by the tools it runs). A renamed variable on either side fails here
 * instead of in a container.
 */
public final class StepScriptContract {
    /** Set by bash itself. */
    private static final Set<String> SHELL = Set.of("IFS", "PATH", "HOME", "PWD", "PIPESTATUS", "RANDOM", "LINENO",
            "FUNCNAME", "BASH_SOURCE", "OPTARG", "OPTIND");
    /** Given for the tools the script runs rather than for the script. */
    private static final Set<String> READ_BY_TOOLS = Set.of("TZ", "LC_ALL", "SOURCE_DATE_EPOCH");
    private static final Pattern COMMENT = Pattern.compile("(?m)^\\s*#.*$");
    private static final Pattern SINGLE_QUOTED = Pattern.compile("'[^']*'");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{?#?([A-Za-z_][A-Za-z0-9_]*)");
    /** {@code ${NAME:-default}}: read when given, not required. */
    private static final Pattern OPTIONAL = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*):-");
    private static final Pattern ARITHMETIC = Pattern.compile("\\$?\\(\\(([^()]*)\\)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("\\b([A-Za-z_][A-Za-z0-9_]*)\\b");
    private static final Pattern ASSIGNMENT = Pattern.compile("(?:^|[\\s;({])([A-Za-z_][A-Za-z0-9_]*)\\+?=");
    private static final Pattern DECLARED = Pattern.compile(
            "\\b(?:local|for|read(?:\\s+-r)?|mapfile\\s+-t)\\s+((?:[A-Za-z_][A-Za-z0-9_]*(?:=\\S*)?\\s*)+)");

    private StepScriptContract() {}

    public static void check(ContainerStep step) {
        // Comments first: an apostrophe in one would otherwise open a quoted string.
        String code = COMMENT.matcher(step.script()).replaceAll("");
        String unquoted = SINGLE_QUOTED.matcher(code).replaceAll("''");
        Set<String> read = new TreeSet<>();
        Matcher m = REFERENCE.matcher(unquoted);
        while (m.find()) {
            read.add(m.group(1));
        }
        m = ARITHMETIC.matcher(unquoted);
        while (m.find()) {
            Matcher id = IDENTIFIER.matcher(m.group(1));
            while (id.find()) {
                if (!Character.isDigit(id.group(1).charAt(0))) {
                    read.add(id.group(1));
                }
            }
        }
        Set<String> set = new TreeSet<>();
        m = ASSIGNMENT.matcher(unquoted);
        while (m.find()) {
            set.add(m.group(1));
        }
        m = DECLARED.matcher(unquoted);
        while (m.find()) {
            for (String word : m.group(1).trim().split("\\s+")) {
                set.add(word.replaceAll("=.*", ""));
            }
        }
        Set<String> optional = new TreeSet<>();
        m = OPTIONAL.matcher(unquoted);
        while (m.find()) {
            optional.add(m.group(1));
        }
        Set<String> given = step.environment().keySet();

        Set<String> unbound = new TreeSet<>(read);
        unbound.removeAll(given);
        unbound.removeAll(set);
        unbound.removeAll(SHELL);
        unbound.removeAll(optional);
        assertThat(unbound).as("variables step '%s' reads but neither receives nor sets", step.name()).isEmpty();

        Set<String> unused = new TreeSet<>(given);
        unused.removeAll(read);
        unused.removeAll(READ_BY_TOOLS);
        unused.removeIf(name -> name.startsWith("EXIT_"));
        assertThat(unused).as("variables step '%s' receives but never reads", step.name()).isEmpty();
    }
}
