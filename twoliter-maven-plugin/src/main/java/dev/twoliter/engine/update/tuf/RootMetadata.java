package dev.twoliter.engine.update.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twoliter.engine.io.Digests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The root role's metadata: the trusted keys and which of them each role needs. */
public record RootMetadata(int version, Instant expires, boolean consistentSnapshot, Map<String, TufPublicKey> keys,
        Map<TufRole, RoleKeys> roles) {
    private static final int MAX_KEYS = 1024;
    private static final int MAX_ROLE_KEYS = 256;

    public RootMetadata {
        keys = Map.copyOf(keys);
        roles = Map.copyOf(roles);
    }

    public RoleKeys role(TufRole role) {
        return roles.get(role);
    }

    public ObjectNode toJson() {
        ObjectNode signed = Fields.header(TufRole.ROOT, version, expires);
        signed.put("consistent_snapshot", consistentSnapshot);
        ObjectNode keysJson = signed.putObject("keys");
        new TreeMap<>(keys).forEach((id, key) -> keysJson.set(id, key.toJson()));
        ObjectNode rolesJson = signed.putObject("roles");
        for (TufRole role : TufRole.values()) {
            ObjectNode r = rolesJson.putObject(role.roleName());
            ArrayNode ids = r.putArray("keyids");
            roles.get(role).keyIds().forEach(ids::add);
            r.put("threshold", roles.get(role).threshold());
        }
        return signed;
    }

    public static RootMetadata fromJson(JsonNode signed, String fileName) throws TufException {
        Fields.header(signed, TufRole.ROOT, fileName);
        int version = Fields.version(signed, fileName);
        Instant expires = Fields.expires(signed, fileName);
        JsonNode consistent = Fields.field(signed, "consistent_snapshot", fileName);
        if (!consistent.isBoolean()) {
            throw new TufException(fileName + ": \"consistent_snapshot\" must be true or false, found "
                    + Fields.describe(consistent) + ".");
        }
        ObjectNode keysJson = Fields.object(signed, "keys", fileName);
        if (keysJson.size() > MAX_KEYS) {
            throw new TufException(fileName + " lists " + keysJson.size() + " keys; at most " + MAX_KEYS
                    + " are accepted.");
        }
        Map<String, TufPublicKey> keys = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = keysJson.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = fileName + " key " + Fields.describe(Fields.NODES.textNode(e.getKey()));
            TufPublicKey key = TufPublicKey.fromJson(e.getValue(), where);
            // Like tough, the id must be the hash of the key object as written (with any extra fields),
            // so one key cannot appear under several ids and count several times towards a threshold.
            String computed = Digests.sha256(CanonicalJson.encode(e.getValue()));
            if (!computed.equals(e.getKey())) {
                throw new TufException(where + ": the key id does not match the key, whose id is " + computed
                        + ". The root metadata was not written by a TUF implementation or was altered.");
            }
            keys.put(e.getKey(), key);
        }
        ObjectNode rolesJson = Fields.object(signed, "roles", fileName);
        Map<TufRole, RoleKeys> roles = new EnumMap<>(TufRole.class);
        for (TufRole role : TufRole.values()) {
            String where = fileName + " role " + role.roleName();
            ObjectNode r = Fields.object(rolesJson, role.roleName(), fileName + " roles");
            JsonNode idsJson = Fields.field(r, "keyids", where);
            if (!idsJson.isArray() || idsJson.isEmpty() || idsJson.size() > MAX_ROLE_KEYS) {
                throw new TufException(where + ": \"keyids\" must be a list of 1 to " + MAX_ROLE_KEYS
                        + " key ids, found " + Fields.describe(idsJson) + ".");
            }
            List<String> ids = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (JsonNode id : idsJson) {
                if (!id.isTextual() || !keys.containsKey(id.textValue()) || !seen.add(id.textValue())) {
                    throw new TufException(where + ": key id " + Fields.describe(id) + " is not one of the keys"
                            + " listed in \"keys\", or is listed twice.");
                }
                ids.add(id.textValue());
            }
            int threshold = (int) Fields.integer(r, "threshold", where, 1, ids.size());
            roles.put(role, new RoleKeys(ids, threshold));
        }
        return new RootMetadata(version, expires, consistent.booleanValue(), keys, roles);
    }
}
