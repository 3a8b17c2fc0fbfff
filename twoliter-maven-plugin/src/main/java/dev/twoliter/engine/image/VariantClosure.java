package dev.twoliter.engine.image;

import dev.twoliter.engine.closure.ClosurePolicy;
import dev.twoliter.engine.closure.ExceptedRequirement;
import java.util.List;

/**
 * What a variant's closure check needs beyond the build's packages and kits: the policy and the
 * variant's own exceptions (each kit's recorded exceptions apply to that kit's packages).
 */
public record VariantClosure(ClosurePolicy policy, List<ExceptedRequirement> exceptions) {
    public VariantClosure {
        exceptions = List.copyOf(exceptions);
    }

    public static VariantClosure skipped() {
        return new VariantClosure(ClosurePolicy.SKIP, List.of());
    }
}
