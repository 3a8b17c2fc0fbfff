package dev.twoliter.engine.update.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The targets role's metadata: every published file by name. */
public record TargetsMetadata(int version, Instant expires, SortedMap<String, TargetFile> targets) {
    private static final int MAX_TARGETS = 100_000;

    public TargetsMetadata {
        targets = Collections.unmodifiableSortedMap(new TreeMap<>(targets));
    }

    public ObjectNode toJson() {
        ObjectNode signed = Fields.header(TufRole.TARGETS, version, expires);
        ObjectNode targetsJson = signed.putObject("targets");
        targets.forEach((name, file) -> targetsJson.set(name, file.toJson()));
        return signed;
    }

    public static TargetsMetadata fromJson(JsonNode signed, String fileName) throws TufException {
        Fields.header(signed, TufRole.TARGETS, fileName);
        ObjectNode targetsJson = Fields.object(signed, "targets", fileName);
        if (targetsJson.size() > MAX_TARGETS) {
            throw new TufException(fileName + " lists " + targetsJson.size() + " targets; at most " + MAX_TARGETS
                    + " are accepted.");
        }
        SortedMap<String, TargetFile> targets = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = targetsJson.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Fields.checkTargetName(e.getKey(), fileName);
            targets.put(e.getKey(), TargetFile.fromJson(e.getValue(), fileName + " target " + e.getKey()));
        }
        return new TargetsMetadata(Fields.version(signed, fileName), Fields.expires(signed, fileName), targets);
    }
}
