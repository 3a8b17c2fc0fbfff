package dev.twoliter.engine.update.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The snapshot role's metadata: the version (and length and hashes) of targets.json. */
public record SnapshotMetadata(int version, Instant expires, SortedMap<String, MetaFile> meta) {
    public static final String TARGETS = "targets.json";
    private static final int MAX_ENTRIES = 1024;

    public SnapshotMetadata {
        meta = Collections.unmodifiableSortedMap(new TreeMap<>(meta));
    }

    public MetaFile targets() {
        return meta.get(TARGETS);
    }

    public ObjectNode toJson() {
        ObjectNode signed = Fields.header(TufRole.SNAPSHOT, version, expires);
        ObjectNode metaJson = signed.putObject("meta");
        meta.forEach((name, file) -> metaJson.set(name, file.toJson()));
        return signed;
    }

    public static SnapshotMetadata fromJson(JsonNode signed, String fileName) throws TufException {
        Fields.header(signed, TufRole.SNAPSHOT, fileName);
        ObjectNode metaJson = Fields.object(signed, "meta", fileName);
        if (metaJson.size() > MAX_ENTRIES) {
            throw new TufException(fileName + " lists " + metaJson.size() + " files; at most " + MAX_ENTRIES
                    + " are accepted.");
        }
        SortedMap<String, MetaFile> meta = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metaJson.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Fields.checkTargetName(e.getKey(), fileName + " meta");
            meta.put(e.getKey(), MetaFile.fromJson(e.getValue(), fileName + " meta " + e.getKey()));
        }
        if (!meta.containsKey(TARGETS)) {
            throw new TufException(fileName + " does not list " + TARGETS + "; the snapshot must name the targets"
                    + " metadata it belongs with.");
        }
        return new SnapshotMetadata(Fields.version(signed, fileName), Fields.expires(signed, fileName), meta);
    }
}
