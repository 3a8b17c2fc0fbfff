package dev.twoliter.engine.update.tuf;

import java.util.Locale;

/** The top-level roles; delegated targets roles are not supported. */
public enum TufRole {
    ROOT, TARGETS, SNAPSHOT, TIMESTAMP;

    /** The name in metadata ("root", ...), also the {@code _type} of the role's file. */
    public String roleName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
