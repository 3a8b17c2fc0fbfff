package dev.twoliter.engine.kit;

import java.util.List;

/** A kit that a module depends on, with the chain of dependencies through which it does. */
public record KitRoot(KitCoordinates coordinates, List<String> path) {}
