package dev.twoliter.engine.kit;

import java.util.Optional;

/**
 * What checking a kit manifest's signature established.
 *
 * @param signer the fingerprint of the trusted key whose signature verified, if one did
 * @param checked false when nothing was checked: the project's own kits, or checks switched off
 */
public record KitSignature(Optional<String> signer, boolean checked) {
    public static KitSignature verified(String fingerprint) {
        return new KitSignature(Optional.of(fingerprint), true);
    }

    /** Checked and accepted without a verified signer (unsigned or not verifiable, under a warning policy). */
    public static KitSignature accepted() {
        return new KitSignature(Optional.empty(), true);
    }

    public static KitSignature notChecked() {
        return new KitSignature(Optional.empty(), false);
    }
}
