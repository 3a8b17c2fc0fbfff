package dev.twoliter.engine.kit;

import java.util.Comparator;

/** A kit's Maven coordinates. The artifactId is the kit's name, the groupId its vendor. */
public record KitCoordinates(String groupId, String artifactId, String version) implements Comparable<KitCoordinates> {
    private static final Comparator<KitCoordinates> ORDER = Comparator.comparing(KitCoordinates::groupId)
            .thenComparing(KitCoordinates::artifactId).thenComparing(KitCoordinates::version);

    /** {@code groupId:artifactId}, the identity the one-version rule is about. */
    public String key() {
        return groupId + ":" + artifactId;
    }

    @Override
    public String toString() {
        return groupId + ":" + artifactId + ":" + version;
    }

    @Override
    public int compareTo(KitCoordinates other) {
        return ORDER.compare(this, other);
    }
}
