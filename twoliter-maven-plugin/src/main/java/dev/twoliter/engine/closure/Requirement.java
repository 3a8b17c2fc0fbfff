package dev.twoliter.engine.closure;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One Requires entry: a plain {@link Capability}, or a rich dependency such as {@code (a or (b and
 * c >= 2))} as a small tree. {@link #toString()} gives rpmbuild's normal form (single spaces, one
 * pair of parentheses per level, {@code =} for {@code ==}), which is also what package headers hold,
 * so two texts name the same requirement exactly when their normal forms are equal.
 */
public sealed interface Requirement permits Requirement.Single, Requirement.Rich {
    /** Longer texts are refused; real ones are far shorter. */
    int MAX_LENGTH = 8192;
    /** Rich dependencies nested deeper are refused, so evaluation cannot run out of stack. */
    int MAX_DEPTH = 32;

    /**
     * Reads rpm's text form. Rich dependencies follow rpm's grammar: operands are plain dependencies
     * or parenthesised rich ones; only {@code and}, {@code or} and {@code with} repeat without
     * parentheses; {@code else} follows {@code if} or {@code unless} once; under {@code with} and
     * {@code without} stand only plain dependencies, {@code or}, {@code with} and {@code without}.
     */
    static Requirement parse(String text) throws DependencySyntaxException {
        return RequirementParser.parse(text);
    }

    /** The capabilities named anywhere in the requirement, left to right. */
    List<Capability> capabilities();

    /** A plain requirement: one capability. */
    record Single(Capability capability) implements Requirement {
        @Override
        public List<Capability> capabilities() {
            return List.of(capability);
        }

        @Override
        public String toString() {
            return capability.toString();
        }
    }

    /**
     * A rich requirement: {@code operands} joined by {@code operator}; {@link RichOperator#IF} and
     * {@link RichOperator#UNLESS} have two operands, or three when the third is their {@code else}.
     * A single operand in parentheses, which rpm accepts, is kept as a one-operand {@code and}.
     */
    record Rich(RichOperator operator, List<Requirement> operands) implements Requirement {
        public Rich {
            operands = List.copyOf(operands);
        }

        public boolean hasElse() {
            return (operator == RichOperator.IF || operator == RichOperator.UNLESS) && operands.size() == 3;
        }

        @Override
        public List<Capability> capabilities() {
            List<Capability> all = new ArrayList<>();
            operands.forEach(o -> all.addAll(o.capabilities()));
            return all;
        }

        @Override
        public String toString() {
            if (hasElse()) {
                return "(" + operands.get(0) + " " + operator.word() + " " + operands.get(1) + " else "
                        + operands.get(2) + ")";
            }
            return operands.stream().map(Requirement::toString)
                    .collect(Collectors.joining(" " + operator.word() + " ", "(", ")"));
        }
    }
}
