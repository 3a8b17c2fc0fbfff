package dev.twoliter.engine.update.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A metadata file: the role's "signed" object and the signatures over its canonical JSON. The
 * signed object is kept as parsed, because signatures cover the bytes the signer wrote, including
 * fields this implementation does not know.
 */
public final class SignedMetadata {
    private static final int MAX_SIGNATURES = 256;
    /** Signatures up to RSA-8192 (1024 bytes). */
    private static final Pattern SIG = Pattern.compile("([0-9a-f]{2}){1,1024}");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");

    /** One entry of "signatures": a key id and the signature's bytes. */
    public record Signature(String keyId, byte[] value) {}

    private final ObjectNode signed;
    private final List<Signature> signatures;

    private SignedMetadata(ObjectNode signed, List<Signature> signatures) {
        this.signed = signed;
        this.signatures = List.copyOf(signatures);
    }

    /**
     * The file's bytes: canonical JSON with control characters escaped (see
     * {@link CanonicalJson#encodeFile}), so that the same input always gives the same file.
     */
    public static byte[] sign(ObjectNode signed, List<TufSigningKey> keys) throws TufException {
        byte[] message = CanonicalJson.encode(signed);
        ObjectNode file = Fields.NODES.objectNode();
        file.set("signed", signed);
        ArrayNode sigs = file.putArray("signatures");
        Set<String> done = new TreeSet<>();
        for (TufSigningKey key : keys) {
            if (done.add(key.keyId())) {
                sigs.addObject().put("keyid", key.keyId()).put("sig", HexFormat.of().formatHex(key.sign(message)));
            }
        }
        return CanonicalJson.encodeFile(file);
    }

    public static SignedMetadata parse(byte[] fileBytes, String fileName) throws TufException {
        JsonNode root = Fields.parse(fileBytes, fileName);
        if (!root.isObject()) {
            throw new TufException(fileName + " must hold a JSON object with \"signed\" and \"signatures\", found "
                    + root.getNodeType() + ".");
        }
        ObjectNode signed = Fields.object(root, "signed", fileName);
        JsonNode sigs = Fields.field(root, "signatures", fileName);
        if (!sigs.isArray() || sigs.size() > MAX_SIGNATURES) {
            throw new TufException(fileName + ": \"signatures\" must be a list of at most " + MAX_SIGNATURES
                    + " signatures, found " + Fields.describe(sigs) + ".");
        }
        List<Signature> signatures = new ArrayList<>();
        for (JsonNode sig : sigs) {
            String where = fileName + " signature " + (signatures.size() + 1);
            if (!sig.isObject()) {
                throw new TufException(where + " must be an object with \"keyid\" and \"sig\".");
            }
            String keyId = Fields.text(sig, "keyid", where, 64);
            String value = Fields.text(sig, "sig", where, 2048);
            if (!KEY_ID.matcher(keyId).matches() || !SIG.matcher(value).matches()) {
                throw new TufException(where + ": \"keyid\" must be 64 and \"sig\" up to 2048 lowercase hex digits,"
                        + " found keyid \"" + keyId + "\".");
            }
            signatures.add(new Signature(keyId, HexFormat.of().parseHex(value)));
        }
        return new SignedMetadata(signed, signatures);
    }

    public ObjectNode signed() {
        return signed.deepCopy();
    }

    public List<Signature> signatures() {
        return signatures;
    }

    /**
     * Checks that the role's threshold of distinct authorised keys signed. Signatures by other keys
     * and repeated signatures by one key are ignored, so they neither help nor break verification.
     */
    public void verify(TufRole role, RootMetadata root, String fileName) throws TufException {
        RoleKeys authorised = root.role(role);
        byte[] message = CanonicalJson.encode(signed);
        Set<String> valid = new LinkedHashSet<>();
        for (Signature s : signatures) {
            TufPublicKey key = root.keys().get(s.keyId());
            if (authorised.keyIds().contains(s.keyId()) && key != null && !valid.contains(s.keyId())
                    && key.verify(message, s.value())) {
                valid.add(s.keyId());
            }
        }
        if (valid.size() < authorised.threshold()) {
            throw new TufException(fileName + " is signed by " + valid.size() + " of the " + role.roleName()
                    + " role's keys (valid signatures from " + (valid.isEmpty() ? "none" : String.join(", ", valid))
                    + "), but root version " + root.version() + " requires " + authorised.threshold() + " of "
                    + String.join(", ", authorised.keyIds()) + ". The file was altered, or signed with other keys"
                    + " than the root lists; do not use it.");
        }
    }
}
