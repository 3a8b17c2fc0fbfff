package dev.twoliter.engine.update.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The timestamp role's metadata: the version, length and hash of the current snapshot. */
public record TimestampMetadata(int version, Instant expires, MetaFile snapshot) {
    public static final String SNAPSHOT = "snapshot.json";

    public ObjectNode toJson() {
        ObjectNode signed = Fields.header(TufRole.TIMESTAMP, version, expires);
        signed.putObject("meta").set(SNAPSHOT, snapshot.toJson());
        return signed;
    }

    public static TimestampMetadata fromJson(JsonNode signed, String fileName) throws TufException {
        Fields.header(signed, TufRole.TIMESTAMP, fileName);
        ObjectNode meta = Fields.object(signed, "meta", fileName);
        MetaFile snapshot = MetaFile.fromJson(Fields.field(meta, SNAPSHOT, fileName + " meta"),
                fileName + " meta " + SNAPSHOT);
        return new TimestampMetadata(Fields.version(signed, fileName), Fields.expires(signed, fileName), snapshot);
    }
}
