package dev.twoliter.engine.update.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.io.StringReader;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.openssl.PEMParser;

/**
 * A public key as TUF metadata holds it: ed25519 as the hex of its 32 bytes, RSA as a PEM
 * SubjectPublicKeyInfo (the forms securesystemslib and tough write).
 */
public record TufPublicKey(String keyType, String scheme, String publicValue) {
    static final String ED25519 = "ed25519";
    static final String RSA = "rsa";
    static final String RSA_PSS = "rsassa-pss-sha256";
    static final int MIN_RSA_BITS = 2048;
    private static final int MAX_RSA_BITS = 8192;

    /** The spec's KEYID: sha256 of the canonical JSON of the key object. */
    public String keyId() {
        try {
            return Digests.sha256(CanonicalJson.encode(toJson()));
        } catch (TufException e) {
            throw new IllegalStateException("A key's fields are plain strings", e);
        }
    }

    public ObjectNode toJson() {
        ObjectNode key = Fields.NODES.objectNode();
        key.put("keytype", keyType);
        key.put("scheme", scheme);
        key.putObject("keyval").put("public", publicValue);
        return key;
    }

    public static TufPublicKey fromJson(JsonNode node, String where) throws TufException {
        if (!node.isObject()) {
            throw new TufException(where + " must be a key object, found " + node.getNodeType() + ".");
        }
        String keyType = Fields.text(node, "keytype", where, 32);
        String scheme = Fields.text(node, "scheme", where, 64);
        String value = Fields.text(Fields.object(node, "keyval", where), "public", where + " keyval", 4096);
        TufPublicKey key = new TufPublicKey(keyType, scheme, value);
        key.parameters(where);
        return key;
    }

    static TufPublicKey ed25519(byte[] raw) {
        return new TufPublicKey(ED25519, ED25519, HexFormat.of().formatHex(raw));
    }

    static TufPublicKey rsa(SubjectPublicKeyInfo info) throws IOException {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(info.getEncoded());
        return new TufPublicKey(RSA, RSA_PSS, "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
    }

    public boolean verify(byte[] message, byte[] signature) {
        try {
            AsymmetricKeyParameter key = parameters("key");
            if (key instanceof Ed25519PublicKeyParameters ed) {
                Ed25519Signer verifier = new Ed25519Signer();
                verifier.init(false, ed);
                verifier.update(message, 0, message.length);
                return verifier.verifySignature(signature);
            }
            return RsaPss.verify((RSAKeyParameters) key, message, signature);
        } catch (TufException | RuntimeException e) {
            return false;
        }
    }

    /** The key for BouncyCastle, refusing types, schemes and sizes this implementation does not trust. */
    AsymmetricKeyParameter parameters(String where) throws TufException {
        if (keyType.equals(ED25519) && scheme.equals(ED25519)) {
            if (!publicValue.matches("[0-9a-f]{64}")) {
                throw new TufException(where + ": an ed25519 public key must be 64 lowercase hex digits, found \""
                        + abbreviated(publicValue) + "\".");
            }
            return new Ed25519PublicKeyParameters(HexFormat.of().parseHex(publicValue), 0);
        }
        if (keyType.equals(RSA) && scheme.equals(RSA_PSS)) {
            AsymmetricKeyParameter key;
            try (PEMParser parser = new PEMParser(new StringReader(publicValue))) {
                Object object = parser.readObject();
                if (!(object instanceof SubjectPublicKeyInfo info)) {
                    throw new TufException(where + ": an RSA public key must be a PEM \"PUBLIC KEY\" block.");
                }
                key = PublicKeyFactory.createKey(info);
            } catch (IOException | RuntimeException e) {
                throw new TufException(where + ": the RSA public key cannot be read: " + e.getMessage(), e);
            }
            int bits = key instanceof RSAKeyParameters rsa ? rsa.getModulus().bitLength() : 0;
            if (key.isPrivate() || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw new TufException(where + ": the \"rsa\" key must be an RSA public key of " + MIN_RSA_BITS
                        + " to " + MAX_RSA_BITS + " bits, found " + (bits == 0 ? "another kind of key" : bits + " bits")
                        + ".");
            }
            return key;
        }
        throw new TufException(where + ": key type \"" + abbreviated(keyType) + "\" with scheme \""
                + abbreviated(scheme) + "\" is not supported; use ed25519/ed25519 or rsa/rsassa-pss-sha256.");
    }

    private static String abbreviated(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
