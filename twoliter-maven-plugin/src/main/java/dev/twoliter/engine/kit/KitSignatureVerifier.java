package dev.twoliter.engine.kit;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.signing.SignatureCheck;
import dev.twoliter.engine.signing.TrustedKitKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks kit manifests against their detached OpenPGP signatures and the project's trusted keys,
 * before anything in a manifest is used. The policy decides what a kit that cannot be verified
 * does to the build: {@link Policy#REQUIRED} fails it, {@link Policy#WARN} logs a warning, {@link
 * Policy#OFF} checks nothing; {@link Policy#BY_VENDOR} (the default) requires signatures for the
 * groupIds that have a trusted key and warns for the others.
 */
public final class KitSignatureVerifier implements ManifestVerifier {
    public enum Policy {
        REQUIRED, WARN, OFF, BY_VENDOR;

        /** {@code required}, {@code warn}, {@code off} or {@code default}. */
        public static Policy parse(String value, Terms terms) throws KitException {
            return switch (value == null ? "default" : value.trim().toLowerCase(Locale.ROOT)) {
                case "required" -> REQUIRED;
                case "warn" -> WARN;
                case "off" -> OFF;
                case "default", "" -> BY_VENDOR;
                default -> throw new KitException(terms.setting(Terms.Setting.KIT_SIGNATURES) + " is "
                        + Syntax.show(value) + "; use required, warn, off or default (required for the groupIds that"
                        + " have a trusted key, warn for the others).");
            };
        }
    }

    /**
     * Why a kit could not be verified and what to do about it; {@code warnHelps} if using it
     * unverified is a reasonable choice (unsigned, or signed where no key is trusted), not for a
     * signature that shows tampering, an unknown signer where the vendor's key is known, or a
     * revoked key.
     */
    private record Refusal(String reason, String advice, boolean warnHelps) {}

    private final TrustedKitKeys trusted;
    private final Policy policy;
    private final Predicate<KitCoordinates> ownKit;
    private final Instant now;
    private final Terms terms;
    private final BuildLog log;
    private final Set<String> warned;

    /**
     * {@code ownKit}: kits built by the project itself, which are not fetched and not checked;
     * {@code warned}: the warnings already given in this build (shared by its modules, so that each
     * is given once), to which this verifier adds its own.
     */
    public KitSignatureVerifier(TrustedKitKeys trusted, Policy policy, Predicate<KitCoordinates> ownKit, Instant now,
            Terms terms, BuildLog log, Set<String> warned) {
        this.trusted = trusted;
        this.policy = policy;
        this.ownKit = ownKit;
        this.now = now;
        this.terms = terms;
        this.log = log;
        this.warned = warned;
    }

    private Policy policyFor(String groupId) {
        if (policy == Policy.BY_VENDOR) {
            return trusted.hasKeysFor(groupId) ? Policy.REQUIRED : Policy.WARN;
        }
        return policy;
    }

    @Override
    public KitSignature verify(KitCoordinates kit, byte[] manifest, KitSource source) throws KitException {
        if (ownKit.test(kit)) {
            return KitSignature.notChecked();
        }
        Policy effective = policyFor(kit.groupId());
        if (effective == Policy.OFF) {
            return KitSignature.notChecked();
        }
        Optional<Path> signature;
        try {
            signature = source.signature(kit);
        } catch (KitException e) {
            if (effective == Policy.REQUIRED) {
                throw e;
            }
            // Where an unsigned kit would only be a warning, so is a signature that cannot be fetched.
            return accept(kit, new Refusal("its signature could not be fetched (" + e.getMessage() + ")", "", true));
        }
        Refusal refusal;
        if (signature.isEmpty()) {
            refusal = new Refusal("it is not signed", "Ask its vendor for a signed release", true);
        } else {
            SignatureCheck check = SignatureCheck.check(manifest, signature.get(), trusted, kit.groupId(), now);
            if (check instanceof SignatureCheck.Verified verified) {
                return KitSignature.verified(verified.fingerprint());
            }
            refusal = refusal(kit, signature.get(), (SignatureCheck.Refused) check);
        }
        String setting = terms.setting(Terms.Setting.KIT_SIGNATURES);
        if (effective == Policy.REQUIRED) {
            String why = policy == Policy.REQUIRED ? setting + " is required"
                    : "signatures are required for groupId " + kit.groupId() + " because a key is trusted for it";
            String alternative = refusal.warnHelps() ? "; or, to use it unverified, set " + setting + " to warn" : "";
            throw new KitException("kit " + kit + ": " + refusal.reason() + ". " + refusal.advice() + alternative
                    + " (" + why + ").");
        }
        return accept(kit, refusal);
    }

    /** Uses the kit unverified, with a warning once per build. */
    private KitSignature accept(KitCoordinates kit, Refusal refusal) {
        String warning = "kit " + kit + ": " + refusal.reason() + "; used unverified ("
                + terms.setting(Terms.Setting.KIT_SIGNATURES) + " is warn"
                + (policy == Policy.BY_VENDOR ? " for groupIds without a trusted key" : "") + ").";
        if (warned.add(warning)) {
            log.warn(warning);
        } else {
            log.debug(warning);
        }
        return KitSignature.accepted();
    }

    private Refusal refusal(KitCoordinates kit, Path signature, SignatureCheck.Refused refused) {
        String trustKeys = terms.setting(Terms.Setting.TRUSTED_KIT_KEYS);
        String key = refused.key();
        return switch (refused.reason()) {
            case MALFORMED -> new Refusal("its signature " + signature + " is not an OpenPGP signature ("
                    + refused.detail() + ")", "Ask its vendor to publish the kit again", false);
            case NO_TRUSTED_KEY -> new Refusal("it is signed by key " + key + ", but no key is trusted for groupId "
                    + kit.groupId(), "If you trust that key, add its public key for " + kit.groupId() + " to "
                    + trustKeys, true);
            case UNTRUSTED_KEY -> new Refusal("it is signed by key " + key + ", which is not among the keys trusted"
                    + " for groupId " + kit.groupId() + " (" + refused.detail() + ")", "If the vendor changed its key,"
                    + " check the new key with the vendor and add it to " + trustKeys, false);
            case BAD_SIGNATURE -> new Refusal("its signature by key " + key + " does not match the manifest: the"
                    + " manifest was changed after it was signed", "Do not use this kit; tell its vendor. If only the"
                    + " local copy is damaged, delete it from the local repository and build again", false);
            case REVOKED -> new Refusal("it is signed by key " + key + ", which its owner has revoked",
                    "Ask the vendor for a release signed with its current key", false);
            case INVALID_WHEN_SIGNED -> new Refusal("its signature by key " + key + " was made on " + refused.detail()
                    + ", when that key was not valid (expired, revoked or not yet created)",
                    "Ask the vendor for a release signed with a valid key", false);
            case EXPIRED -> new Refusal("it is signed by key " + key + ", which has expired", "Ask the vendor for a"
                    + " release signed with a current key, or for the key with its expiry extended, and update it in "
                    + trustKeys, false);
        };
    }
}
