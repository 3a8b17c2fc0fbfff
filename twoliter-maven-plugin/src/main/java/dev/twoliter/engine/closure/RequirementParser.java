package dev.twoliter.engine.closure;

import dev.twoliter.engine.Syntax;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a requirement's text into a {@link Requirement}, following rpm's rich dependency grammar
 * (rpmrichParse). Where rpm is lax in ways rpmbuild never writes ({@code else} without {@code if},
 * commas as spaces), the text is refused rather than guessed at.
 */
final class RequirementParser {
    private final String text;
    private int at;

    private RequirementParser(String text) {
        this.text = text;
    }

    static Requirement parse(String text) throws DependencySyntaxException {
        if (text == null || !Syntax.isOneLine(text, Requirement.MAX_LENGTH)) {
            throw new DependencySyntaxException("the requirement " + Syntax.show(text) + " is not one line of at most "
                    + Requirement.MAX_LENGTH + " characters");
        }
        String stripped = text.strip();
        if (!stripped.startsWith("(")) {
            return new Requirement.Single(Capability.parse(stripped));
        }
        RequirementParser parser = new RequirementParser(stripped);
        Requirement rich = parser.rich(1);
        parser.skipSpaces();
        if (parser.at < stripped.length()) {
            throw parser.error("text follows the closing parenthesis of the rich dependency");
        }
        return rich;
    }

    private Requirement rich(int depth) throws DependencySyntaxException {
        if (depth > Requirement.MAX_DEPTH) {
            throw error("rich dependencies are nested deeper than " + Requirement.MAX_DEPTH + " levels");
        }
        at++; // the '(' the caller saw
        List<Requirement> operands = new ArrayList<>();
        RichOperator operator = null;
        boolean sawElse = false;
        while (true) {
            skipSpaces();
            if (at >= text.length() || text.charAt(at) == ')') {
                throw error(operator == null && operands.isEmpty() ? "a rich dependency is empty"
                        : "an operator lacks its operand");
            }
            operands.add(text.charAt(at) == '(' ? rich(depth + 1) : new Requirement.Single(simple()));
            skipSpaces();
            if (at >= text.length()) {
                throw error("a rich dependency lacks its closing parenthesis");
            }
            if (text.charAt(at) == ')') {
                at++;
                break;
            }
            int start = at;
            String word = word();
            if (word.equals("else")) {
                if (operator != RichOperator.IF && operator != RichOperator.UNLESS || sawElse) {
                    throw error("'else' may follow only 'if' or 'unless', once", start);
                }
                sawElse = true;
                continue;
            }
            RichOperator op = RichOperator.ofWord(word);
            if (op == null) {
                throw error("unknown rich dependency operator " + Syntax.show(word) + " (known: and, or, if, else,"
                        + " unless, with, without)", start);
            }
            if (operator != null && (op != operator || sawElse)) {
                throw error("different operators at one level need parentheses, as in (a and (b or c))", start);
            }
            if (operator != null && !op.chains()) {
                throw error("only and, or and with repeat without parentheses; '" + op.word() + "' does not", start);
            }
            operator = op;
        }
        Requirement.Rich node = new Requirement.Rich(operator == null ? RichOperator.AND : operator, operands);
        if (operator == RichOperator.WITH || operator == RichOperator.WITHOUT) {
            for (Requirement operand : operands) {
                checkUnderWith(operand, operator);
            }
        }
        return node;
    }

    /** rpm's rule: with and without pick packages, so their operands may only pick packages too. */
    private void checkUnderWith(Requirement operand, RichOperator under) throws DependencySyntaxException {
        if (operand instanceof Requirement.Rich r) {
            boolean picksPackages = r.operands().size() == 1 || r.operator() == RichOperator.OR
                    || r.operator() == RichOperator.WITH || r.operator() == RichOperator.WITHOUT;
            if (!picksPackages) {
                throw error("'" + under.word() + "' may only join plain dependencies or rich ones made with or, with"
                        + " and without, not " + r);
            }
            for (Requirement inner : r.operands()) {
                checkUnderWith(inner, under);
            }
        }
    }

    /** A plain dependency inside a rich one: a name, then perhaps an operator and a version. */
    private Capability simple() throws DependencySyntaxException {
        int start = at;
        String name = token();
        skipSpaces();
        int mark = at;
        Relation relation = Relation.ofOperator(token());
        if (relation == null) {
            at = mark;
            return capability(name, Relation.ANY, null, start);
        }
        skipSpaces();
        String evr = token();
        if (evr.isEmpty()) {
            throw error("the operator after " + Syntax.show(name) + " lacks its version");
        }
        return capability(name, relation, evr, start);
    }

    private Capability capability(String name, Relation relation, String evr, int start)
            throws DependencySyntaxException {
        try {
            return Capability.of(name, relation, evr);
        } catch (DependencySyntaxException e) {
            throw error(e.getMessage(), start);
        }
    }

    /**
     * Up to the next space or an unmatched ')': names such as {@code libfoo.so.1()(64bit)} keep their
     * balanced parentheses, as rpm reads them.
     */
    private String token() {
        int start = at;
        int open = 0;
        while (at < text.length() && text.charAt(at) != ' ') {
            char c = text.charAt(at);
            if (c == ')' && open-- <= 0) {
                break;
            }
            if (c == '(') {
                open++;
            }
            at++;
        }
        return text.substring(start, at);
    }

    /** An operator word: up to the next space or ')'. */
    private String word() {
        int start = at;
        while (at < text.length() && text.charAt(at) != ' ' && text.charAt(at) != ')') {
            at++;
        }
        return text.substring(start, at);
    }

    private void skipSpaces() {
        while (at < text.length() && text.charAt(at) == ' ') {
            at++;
        }
    }

    private DependencySyntaxException error(String what) {
        return error(what, at);
    }

    private DependencySyntaxException error(String what, int position) {
        return new DependencySyntaxException("the requirement " + Syntax.show(text) + " is malformed at character "
                + (position + 1) + ": " + what);
    }
}
