package dev.twoliter.engine.kit;

import dev.twoliter.engine.closure.ClosurePolicy;
import dev.twoliter.engine.closure.ExceptedRequirement;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a kit's closure check needs, for one arch.
 *
 * @param repositories the unpacked payloads of every kit of the kit's graph (dependencies and base)
 * @param base the kits declared as the base the variant brings: checked against, not dependencies
 * @param exceptions requirements the kit may leave unmet, each with its reason
 * @param elsewhere payloads of other kits this build knows (origin as messages name it, to the
 *     payload archive), searched only to suggest where an unmet requirement could come from
 */
public record KitClosure(ClosurePolicy policy, List<KitRepository> repositories, Set<KitCoordinates> base,
        List<ExceptedRequirement> exceptions, Map<String, Path> elsewhere) {
    public KitClosure {
        repositories = List.copyOf(repositories);
        base = Set.copyOf(base);
        exceptions = List.copyOf(exceptions);
        elsewhere = Map.copyOf(elsewhere);
    }

    /** No check: for kits built with the check switched off. */
    public static KitClosure skipped() {
        return new KitClosure(ClosurePolicy.SKIP, List.of(), Set.of(), List.of(), Map.of());
    }
}
