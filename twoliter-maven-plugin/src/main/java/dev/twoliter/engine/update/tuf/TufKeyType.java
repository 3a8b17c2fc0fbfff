package dev.twoliter.engine.update.tuf;

/** The key types the writer can generate and sign with (tough and securesystemslib verify both). */
public enum TufKeyType {
    ED25519, RSASSA_PSS_SHA256
}
