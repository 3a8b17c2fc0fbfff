package dev.twoliter.engine.update.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A target's length, hashes and optional custom data, as targets.json lists it. */
public record TargetFile(long length, Map<String, String> hashes, Optional<ObjectNode> custom) {
    /** Largest target accepted from a server: far above any OS image, far below a disk's worth of garbage. */
    static final long MAX_LENGTH = 1L << 40;

    public TargetFile {
        hashes = Map.copyOf(hashes);
        custom = custom.map(ObjectNode::deepCopy);
    }

    /**
     * A local file as a target, with its sha256 only, as tough writes targets: every listed hash is
     * a name the file must be stored under, and an OS image stored twice would double the
     * repository's size and each publication's upload for no gain in safety.
     */
    public static TargetFile of(Path file) throws IOException {
        return new TargetFile(Files.size(file), Map.of("sha256", Digests.sha256(file)), Optional.empty());
    }

    /**
     * The names a consistent snapshot stores this target under, one per sha256/sha512 hash listed:
     * the specification lets a client pick any listed hash (sigstore-java takes sha512, tough and
     * {@link TrustedRepository#fetchTarget} sha256), so the uploader stores the content under each.
     */
    public List<String> fileNames(String name) {
        int slash = name.lastIndexOf('/');
        return Stream.of("sha256", "sha512").filter(hashes::containsKey)
                .map(a -> name.substring(0, slash + 1) + hashes.get(a) + "." + name.substring(slash + 1)).toList();
    }

    /** Same content: same length and the same value for every hash both list. */
    boolean sameContent(TargetFile other) {
        return length == other.length && hashes.keySet().stream().anyMatch(other.hashes::containsKey)
                && hashes.entrySet().stream().allMatch(e -> !other.hashes.containsKey(e.getKey())
                        || other.hashes.get(e.getKey()).equals(e.getValue()));
    }

    ObjectNode toJson() {
        ObjectNode node = Fields.NODES.objectNode();
        node.put("length", length);
        node.set("hashes", Fields.hashesJson(hashes));
        custom.ifPresent(c -> node.set("custom", c.deepCopy()));
        return node;
    }

    static TargetFile fromJson(JsonNode node, String where) throws TufException {
        if (!node.isObject()) {
            throw new TufException(where + " must be an object, found " + node.getNodeType() + ".");
        }
        long length = Fields.integer(node, "length", where, 0, MAX_LENGTH);
        Map<String, String> hashes = Fields.hashes(node, where, true);
        if (!hashes.containsKey("sha256") && !hashes.containsKey("sha512")) {
            throw new TufException(where + " lists no sha256 or sha512 hash (found " + hashes.keySet()
                    + "); the target could not be checked.");
        }
        JsonNode custom = node.get("custom");
        if (custom != null && !custom.isNull() && !custom.isObject()) {
            throw new TufException(where + ": \"custom\" must be an object, found " + custom.getNodeType() + ".");
        }
        return new TargetFile(length, hashes, custom == null || custom.isNull() ? Optional.empty()
                : Optional.of((ObjectNode) custom));
    }
}
