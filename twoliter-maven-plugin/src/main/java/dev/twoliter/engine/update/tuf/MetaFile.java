package dev.twoliter.engine.update.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.OptionalLong;

/** A METAFILES entry: the version of a metadata file and, optionally, its length and hashes. */
public record MetaFile(int version, OptionalLong length, Map<String, String> hashes) {
    static final long MAX_LENGTH = 1L << 30;

    public MetaFile {
        hashes = Map.copyOf(hashes);
    }

    /** The entry for a file this writer produced: version, length and sha256. */
    static MetaFile of(int version, byte[] file) {
        return new MetaFile(version, OptionalLong.of(file.length), Map.of("sha256",
                dev.twoliter.engine.io.Digests.sha256(file)));
    }

    ObjectNode toJson() {
        ObjectNode node = Fields.NODES.objectNode();
        node.put("version", version);
        length.ifPresent(l -> node.put("length", l));
        if (!hashes.isEmpty()) {
            node.set("hashes", Fields.hashesJson(hashes));
        }
        return node;
    }

    static MetaFile fromJson(JsonNode node, String where) throws TufException {
        if (!node.isObject()) {
            throw new TufException(where + " must be an object, found " + node.getNodeType() + ".");
        }
        int version = Fields.version(node, where);
        OptionalLong length = node.has("length") ? OptionalLong.of(Fields.integer(node, "length", where, 0,
                MAX_LENGTH)) : OptionalLong.empty();
        return new MetaFile(version, length, Fields.hashes(node, where, false));
    }
}
