package dev.twoliter.engine.sbom;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An RPM License text that is a valid SPDX license expression (SPDX 2.3, Annex D), in canonical
 * form: ids spelled as the license list spells them, single spaces between terms, none inside
 * parentheses.
 *
 * <p>RPM License tags are free text. Fedora moved to SPDX expressions in 2022, but older packages
 * and other vendors write {@code GPLv2+}, {@code BSD} or {@code MIT and ASL 2.0}; those are not
 * expressions and must not pass for one, since consumers of the SBOM would then misread them. So
 * parsing is strict: ids from the SPDX list (matched case-insensitively, as SPDX says), exceptions
 * only after {@code WITH}, the operators {@code AND}, {@code OR} and {@code WITH} in upper case only
 * (SPDX matches them case-sensitively), {@code +} directly after a license id, and
 * {@code LicenseRef-} ids. {@code DocumentRef-} references are not accepted: the document would
 * have to name the external document they point to, and the RPM header does not say which it is.
 *
 * @param text the canonical expression
 * @param singleLicense true if the expression is one listed license id, nothing else
 * @param licenseRefs the {@code LicenseRef-} ids the expression uses
 */
public record LicenseExpression(String text, boolean singleLicense, SortedSet<String> licenseRefs) {
    private static final Pattern LICENSE_REF = Pattern.compile("LicenseRef-[A-Za-z0-9.-]+");
    /** Bounds the parser's recursion; real expressions nest two or three levels. */
    static final int MAX_DEPTH = 50;

    public LicenseExpression {
        licenseRefs = Collections.unmodifiableSortedSet(new TreeSet<>(licenseRefs));
    }

    /** The canonical expression, if {@code text} is a valid SPDX license expression. */
    public static Optional<LicenseExpression> parse(String text) {
        if (text == null || text.length() > SbomPackage.MAX_LICENSE_LENGTH) {
            return Optional.empty();
        }
        List<String> tokens = tokens(text);
        if (tokens == null || tokens.isEmpty()) {
            return Optional.empty();
        }
        Parser parser = new Parser(tokens);
        if (!parser.orExpression(0) || parser.position != tokens.size()) {
            return Optional.empty();
        }
        boolean single = parser.output.size() == 1 && !parser.output.get(0).endsWith("+")
                && !parser.output.get(0).startsWith("LicenseRef-");
        return Optional.of(new LicenseExpression(join(parser.output), single, parser.refs));
    }

    /** Splits at spaces and around parentheses; null if the text has characters no expression has. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')') {
                if (word.length() > 0) {
                    tokens.add(word.toString());
                    word.setLength(0);
                }
                if (c == '(' || c == ')') {
                    tokens.add(String.valueOf(c));
                }
            } else if (c > ' ' && c < 0x7f) {
                word.append(c);
            } else {
                return null;
            }
        }
        if (word.length() > 0) {
            tokens.add(word.toString());
        }
        return tokens;
    }

    private static String join(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        for (String token : tokens) {
            boolean space = out.length() > 0 && out.charAt(out.length() - 1) != '(' && !token.equals(")");
            out.append(space ? " " : "").append(token);
        }
        return out.toString();
    }

    /**
     * Recursive descent over SPDX's grammar, weakest operator first: OR binds looser than AND,
     * AND looser than WITH. Each method consumes what it recognises and copies it, canonical, to
     * {@code output}.
     */
    private static final class Parser {
        private final List<String> tokens;
        private final List<String> output = new ArrayList<>();
        private final SortedSet<String> refs = new TreeSet<>();
        private int position;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        boolean orExpression(int depth) {
            if (!andExpression(depth)) {
                return false;
            }
            while (accept("OR")) {
                if (!andExpression(depth)) {
                    return false;
                }
            }
            return true;
        }

        private boolean andExpression(int depth) {
            if (!withExpression(depth)) {
                return false;
            }
            while (accept("AND")) {
                if (!withExpression(depth)) {
                    return false;
                }
            }
            return true;
        }

        private boolean withExpression(int depth) {
            if (accept("(")) {
                if (depth >= MAX_DEPTH || !orExpression(depth + 1)) {
                    return false;
                }
                // A parenthesised expression takes no exception: WITH follows a simple expression only.
                return accept(")");
            }
            if (!simpleExpression()) {
                return false;
            }
            if (accept("WITH")) {
                Optional<String> exception = next().flatMap(SpdxLicenseList.get()::exception);
                if (exception.isEmpty()) {
                    return false;
                }
                output.add(exception.get());
            }
            return true;
        }

        private boolean simpleExpression() {
            Optional<String> term = next();
            if (term.isEmpty()) {
                return false;
            }
            String word = term.get();
            if (LICENSE_REF.matcher(word).matches()) {
                refs.add(word);
                output.add(word);
                return true;
            }
            SpdxLicenseList list = SpdxLicenseList.get();
            // The list itself has a few deprecated ids ending in '+' (GPL-2.0+): those are ids, not id and '+'.
            Optional<String> listed = list.license(word);
            if (listed.isEmpty() && word.length() > 1 && word.endsWith("+")) {
                listed = list.license(word.substring(0, word.length() - 1)).map(id -> id + "+");
            }
            listed.ifPresent(output::add);
            return listed.isPresent();
        }

        /** Consumes the next token if it is {@code token} (operators and parentheses, case-sensitive). */
        private boolean accept(String token) {
            if (position < tokens.size() && tokens.get(position).equals(token)) {
                output.add(token);
                position++;
                return true;
            }
            return false;
        }

        /** The next token if it is a term (not an operator or parenthesis). */
        private Optional<String> next() {
            if (position >= tokens.size()) {
                return Optional.empty();
            }
            String token = tokens.get(position);
            if (token.equals("(") || token.equals(")") || token.equals("AND") || token.equals("OR")
                    || token.equals("WITH")) {
                return Optional.empty();
            }
            position++;
            return Optional.of(token);
        }
    }
}
