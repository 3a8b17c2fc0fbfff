package dev.twoliter.maven;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.signing.DevelopmentKeys;
import dev.twoliter.engine.update.HumanDuration;
import dev.twoliter.engine.update.UpdateRepositoryKeys;
import dev.twoliter.engine.update.tuf.TufKeyType;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Creates development signing keys in the directory you name, never overwriting a file: a kit
 * signing key (OpenPGP, Ed25519), a root hash signing key (RSA-3072, PKCS#8 PEM) with its
 * self-signed X.509 certificate, and Secure Boot's PK, KEK and db (RSA-2048, self-signed) with an
 * owner GUID; an update repository's four role keys (Ed25519 by default, PKCS#8 PEM) and its
 * first root metadata; prints the POM snippets that use them. The secret keys are
 * protected by the passphrase in the environment variable TWOLITER_KIT_SIGNING_PASSPHRASE when it
 * is set. Runs without a project: {@code mvn twoliter:generate-keys -Dtwoliter.keysDirectory=keys}.
 */
@Mojo(name = "generate-keys", requiresProject = false, aggregator = true, threadSafe = true)
public class GenerateKeysMojo extends AbstractMojo {
    /** Where the keys are written; created if missing. */
    @Parameter(property = "twoliter.keysDirectory", required = true)
    File keysDirectory;

    /** The key's user id; it names the vendor to whoever inspects the public key. */
    @Parameter(property = "twoliter.keyUserId", defaultValue = "twoliter kit signing key (development)")
    String keyUserId;

    /** The environment variable whose value, if set, protects the secret key. */
    @Parameter(property = "twoliter.kitSigningPassphraseEnv", defaultValue = "TWOLITER_KIT_SIGNING_PASSPHRASE")
    String kitSigningPassphraseEnv;

    /** The groupId the printed consumer snippet trusts the key for. */
    @Parameter(property = "twoliter.keyGroupId", defaultValue = "${project.groupId}")
    String keyGroupId;

    /** The environment variable whose value, if set, protects the update repository's role keys. */
    @Parameter(property = "twoliter.update.signingPassphraseEnv", defaultValue = "TWOLITER_UPDATE_SIGNING_PASSPHRASE")
    String updateSigningPassphraseEnv;

    /** The update repository keys' algorithm: ed25519 or rsassa-pss-sha256 (RSA-3072). */
    @Parameter(property = "twoliter.update.keyType", defaultValue = "ed25519")
    String updateKeyType;

    /** How long the update repository's first root metadata stays valid ("52 weeks", P365D). */
    @Parameter(property = "twoliter.update.rootExpiration", defaultValue = "365 days")
    String updateRootExpiration;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        try {
            if (!Syntax.isEnvironmentName(kitSigningPassphraseEnv)) {
                throw new TwoliterException("twoliter.kitSigningPassphraseEnv is " + Syntax.show(kitSigningPassphraseEnv)
                        + "; give the name of an environment variable (letters, digits and '_').");
            }
            Optional<char[]> passphrase = Optional.ofNullable(System.getenv(kitSigningPassphraseEnv))
                    .filter(p -> !p.isEmpty()).map(String::toCharArray);
            DevelopmentKeys.Written keys = DevelopmentKeys.generate(keysDirectory.toPath().toAbsolutePath().normalize(),
                    keyUserId, passphrase, Instant.now());
            String group = keyGroupId == null || keyGroupId.isBlank() || keyGroupId.contains("${")
                    ? "com.example.vendor" : keyGroupId;
            getLog().info("Wrote the kit signing key " + keys.fingerprint() + " and the root hash signing key (keep the"
                    + " secret ones out of version control, images and logs):");
            getLog().info("  " + keys.secretKey() + "  (secret: the kit signing key, OpenPGP)");
            getLog().info("  " + keys.publicKey() + "  (public: give it to the kits' consumers)");
            if (!keys.protectedByPassphrase()) {
                getLog().warn("The secret keys have no passphrase (" + kitSigningPassphraseEnv + " was not set): use"
                        + " them for development only.");
            }
            getLog().info("Sign kits with it (vendor project; the passphrase, if any, from " + kitSigningPassphraseEnv
                    + " or a settings.xml <server> named by twoliter.kitSigningServerId):");
            getLog().info("  <configuration><kitSigningKey>" + keys.secretKey() + "</kitSigningKey></configuration>");
            getLog().info("  " + keys.rootHashKey() + "  (secret: the root hash signing key, PKCS#8 PEM)");
            getLog().info("  " + keys.rootHashCertificate() + "  (its self-signed X.509 certificate: build it into"
                    + " the kernel's trusted keys)");
            getLog().info("Sign variants' dm-verity root hashes with it (the passphrase, if any, from"
                    + " TWOLITER_ROOT_HASH_SIGNING_PASSPHRASE or twoliter.rootHashSigningServerId):");
            getLog().info("  <configuration><rootHashSigningKey>" + keys.rootHashKey() + "</rootHashSigningKey>"
                    + "<rootHashSigningCertificate>" + keys.rootHashCertificate() + "</rootHashSigningCertificate>"
                    + "</configuration>");
            getLog().info("Secure Boot keys to enroll in the firmware (docs/signing.md#secure-boot-keys), owner GUID in "
                    + keys.secureBootOwner() + ":");
            for (String k : DevelopmentKeys.SECURE_BOOT_KEYS) {
                getLog().info("  " + keys.secureBootCertificates().get(k) + "  (and its key "
                        + DevelopmentKeys.keyOf(keys.secureBootCertificates().get(k)).getFileName() + ")");
            }
            Path db = keys.secureBootCertificates().get("db");
            getLog().info("Sign variants' EFI executables for Secure Boot with the db key (bootloader uki; the"
                    + " passphrase, if any, from TWOLITER_SECURE_BOOT_SIGNING_PASSPHRASE or"
                    + " twoliter.secureBootSigningServerId):");
            getLog().info("  <configuration><secureBootSigningKey>" + DevelopmentKeys.keyOf(db)
                    + "</secureBootSigningKey><secureBootSigningCertificate>" + db
                    + "</secureBootSigningCertificate></configuration>");
            getLog().info("Trust the kit signing key (consumer project, key file relative to the project root):");
            getLog().info("  <configuration><trustedKitKeys><trustedKitKey><groupId>" + group + "</groupId><keyFile>"
                    + "keys/" + DevelopmentKeys.PUBLIC_KEY_FILE + "</keyFile></trustedKitKey></trustedKitKeys>"
                    + "</configuration>");
            updateKeys();
        } catch (TwoliterException | IOException e) {
            Exception mapped = MojoErrors.map(e);
            if (mapped instanceof MojoFailureException f) {
                throw f;
            }
            throw (MojoExecutionException) mapped;
        }
    }

    private void updateKeys() throws TwoliterException, IOException {
        if (!Syntax.isEnvironmentName(updateSigningPassphraseEnv)) {
            throw new TwoliterException("twoliter.update.signingPassphraseEnv is " + Syntax.show(updateSigningPassphraseEnv)
                    + "; give the name of an environment variable (letters, digits and '_').");
        }
        TufKeyType type = switch (String.valueOf(updateKeyType).toLowerCase(java.util.Locale.ROOT)) {
            case "ed25519" -> TufKeyType.ED25519;
            case "rsassa-pss-sha256", "rsa" -> TufKeyType.RSASSA_PSS_SHA256;
            default -> throw new TwoliterException("twoliter.update.keyType is " + Syntax.show(updateKeyType)
                    + "; give ed25519 or rsassa-pss-sha256.");
        };
        java.time.Duration validity = HumanDuration.parse(updateRootExpiration)
                .filter(d -> !d.isNegative() && !d.isZero() && d.compareTo(java.time.Duration.ofDays(3660)) <= 0)
                .orElseThrow(() -> new TwoliterException("twoliter.update.rootExpiration is "
                        + Syntax.show(updateRootExpiration) + "; give a duration up to 10 years, such as \"52 weeks\"."));
        Optional<char[]> passphrase = Optional.ofNullable(System.getenv(updateSigningPassphraseEnv))
                .filter(p -> !p.isEmpty()).map(String::toCharArray);
        UpdateRepositoryKeys.Written keys = UpdateRepositoryKeys.generate(keysDirectory.toPath().toAbsolutePath()
                .normalize(), type, passphrase, validity, Instant.now());
        getLog().info("Update repository keys (docs/updates.md#keys; keep the root key offline: it is needed only to"
                + " rotate keys):");
        keys.keys().forEach((role, file) -> getLog().info("  " + file + "  (secret: the " + role.roleName()
                + " role's key, id " + keys.keyIds().get(role) + ")"));
        getLog().info("  " + keys.root() + "  (the repository's root metadata: what publishers and machines trust)");
        if (passphrase.isEmpty()) {
            getLog().warn("The update repository keys are not protected (" + updateSigningPassphraseEnv + " was not"
                    + " set): use them for development only.");
        }
        getLog().info("Publish updates with them (variant project, paths relative to the project root):");
        getLog().info("  <configuration><updateRepository>https://…</updateRepository><updateTrustedRoot>keys/"
                + UpdateRepositoryKeys.ROOT_FILE + "</updateTrustedRoot><updateTargetsKey>keys/update-targets.pem"
                + "</updateTargetsKey><updateSnapshotKey>keys/update-snapshot.pem</updateSnapshotKey>"
                + "<updateTimestampKey>keys/update-timestamp.pem</updateTimestampKey></configuration>");
    }
}
