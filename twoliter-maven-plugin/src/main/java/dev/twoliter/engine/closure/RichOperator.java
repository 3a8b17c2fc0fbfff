package dev.twoliter.engine.closure;

/**
 * The operators of rpm's rich (boolean) dependencies. {@code else} is not one of them here: it
 * gives {@link #IF} or {@link #UNLESS} a third operand.
 */
public enum RichOperator {
    AND("and"),
    OR("or"),
    IF("if"),
    UNLESS("unless"),
    WITH("with"),
    WITHOUT("without");

    private final String word;

    RichOperator(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The operator a word names, or null (also for {@code else}, which the parser handles itself). */
    static RichOperator ofWord(String word) {
        for (RichOperator op : values()) {
            if (op.word.equals(word)) {
                return op;
            }
        }
        return null;
    }

    /** Whether rpm lets the operator repeat without parentheses, as in {@code (a or b or c)}. */
    boolean chains() {
        return this == AND || this == OR || this == WITH;
    }
}
