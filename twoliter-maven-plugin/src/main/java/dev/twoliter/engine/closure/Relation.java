package dev.twoliter.engine.closure;

/**
 * How a dependency bounds the version of a capability; {@link #ANY} when it does not (rpm's sense
 * flags LESS, GREATER and EQUAL, and none at all).
 */
public enum Relation {
    ANY("", false, false, false),
    LESS("<", true, false, false),
    LESS_OR_EQUAL("<=", true, true, false),
    EQUAL("=", false, true, false),
    GREATER_OR_EQUAL(">=", false, true, true),
    GREATER(">", false, false, true);

    private final String symbol;
    private final boolean less;
    private final boolean equal;
    private final boolean greater;

    Relation(String symbol, boolean less, boolean equal, boolean greater) {
        this.symbol = symbol;
        this.less = less;
        this.equal = equal;
        this.greater = greater;
    }

    /**
     * The relation an operator names, or null if it names none. rpmbuild also reads {@code ==},
     * {@code =<} and {@code =>}, and writes them back as {@code =}, {@code <=} and {@code >=}.
     */
    static Relation ofOperator(String operator) {
        return switch (operator) {
            case "<" -> LESS;
            case "<=", "=<" -> LESS_OR_EQUAL;
            case "=", "==" -> EQUAL;
            case ">=", "=>" -> GREATER_OR_EQUAL;
            case ">" -> GREATER;
            default -> null;
        };
    }

    /** As rpm writes it: {@code <}, {@code <=}, {@code =}, {@code >=}, {@code >}; "" for {@link #ANY}. */
    public String symbol() {
        return symbol;
    }

    boolean includesLess() {
        return less;
    }

    boolean includesEqual() {
        return equal;
    }

    boolean includesGreater() {
        return greater;
    }
}
