package dev.twoliter.engine.update.tuf;

import java.util.List;

/** The key ids authorised for a role and how many of them must sign. */
public record RoleKeys(List<String> keyIds, int threshold) {
    public RoleKeys {
        keyIds = List.copyOf(keyIds);
    }
}
