package dev.twoliter.engine.signing;

import dev.twoliter.engine.Syntax;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;

/**
 * The vendor keys a project trusts, each for a groupId: kits of that groupId must be signed by one
 * of its keys. A pattern is an exact groupId, or {@code prefix.*} for the groupId {@code prefix}
 * and every groupId under it.
 */
public final class TrustedKitKeys {
    /**
     * One configured trust: {@code groupPattern}'s kits may be signed by the keys in {@code
     * keyFile}, or, with {@code fingerprint}, by the key of that primary fingerprint in it only
     * (required for a key file fetched from a repository, which could otherwise swap it).
     */
    public record Entry(String groupPattern, Path keyFile, Optional<String> fingerprint) {
        public Entry(String groupPattern, Path keyFile) {
            this(groupPattern, keyFile, Optional.empty());
        }
    }

    private record Trusted(String groupPattern, Path keyFile, List<OpenPGPCertificate> certificates) {
        boolean covers(String groupId) {
            if (groupPattern.endsWith(".*")) {
                String prefix = groupPattern.substring(0, groupPattern.length() - 2);
                return groupId.equals(prefix) || groupId.startsWith(prefix + ".");
            }
            return groupId.equals(groupPattern);
        }
    }

    private final List<Trusted> trusted;

    private TrustedKitKeys(List<Trusted> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    public static TrustedKitKeys none() {
        return new TrustedKitKeys(List.of());
    }

    /** Reads every key file; {@code setting} names the configuration in errors. */
    public static TrustedKitKeys load(List<Entry> entries, String setting) throws SigningException {
        List<Trusted> trusted = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            String at = setting + "[" + i + "]";
            if (entry.groupPattern() == null || entry.keyFile() == null) {
                throw new SigningException(at + " needs a groupId and a key.");
            }
            String pattern = entry.groupPattern();
            String id = pattern.endsWith(".*") ? pattern.substring(0, pattern.length() - 2) : pattern;
            if (!Syntax.isMavenId(id)) {
                throw new SigningException(at + " has the groupId " + Syntax.show(pattern) + "; use a Maven groupId"
                        + " (letters, digits, '.', '-', '_'), optionally ending in .* for the groupIds under it.");
            }
            List<OpenPGPCertificate> certificates = read(entry.keyFile(), at);
            if (entry.fingerprint().isPresent()) {
                String wanted = entry.fingerprint().get().replace(" ", "").toUpperCase(java.util.Locale.ROOT);
                if (!wanted.matches("[0-9A-F]{40}|[0-9A-F]{64}")) {
                    throw new SigningException(at + " has the fingerprint " + Syntax.show(entry.fingerprint().get())
                            + "; give the key's primary fingerprint (40 or 64 hex digits).");
                }
                certificates = certificates.stream().filter(c -> OpenPgpFiles.hex(c.getFingerprint()).equals(wanted))
                        .toList();
                if (certificates.isEmpty()) {
                    throw new SigningException("Trusted kit key " + entry.keyFile() + " (" + at + ") holds no key with"
                            + " the fingerprint " + wanted + " that " + at + " pins. Check the key with its vendor.");
                }
            }
            trusted.add(new Trusted(pattern, entry.keyFile(), certificates));
        }
        return new TrustedKitKeys(trusted);
    }

    private static List<OpenPGPCertificate> read(Path file, String at) throws SigningException {
        byte[] bytes = OpenPgpFiles.read(file, OpenPgpFiles.MAX_KEY_FILE_BYTES, "trusted kit key (" + at + ")");
        List<OpenPGPCertificate> certificates;
        try {
            certificates = OpenPgpFiles.api().readKeyOrCertificate().parseKeysOrCertificates(bytes);
        } catch (IOException | RuntimeException e) {
            throw new SigningException("Trusted kit key " + file + " (" + at + ") is not an OpenPGP public key"
                    + " (armored or binary): " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new SigningException("Trusted kit key " + file + " (" + at + ") holds no OpenPGP key.");
        }
        for (OpenPGPCertificate certificate : certificates) {
            if (certificate.isSecretKey()) {
                throw new SigningException("Trusted kit key " + file + " (" + at + ") holds a secret key ("
                        + OpenPgpFiles.hex(certificate.getFingerprint()) + "). Consumers need only the public key:"
                        + " keep the secret key out of the project and export the public one (for example"
                        + " `gpg --export --armor <id>`).");
            }
        }
        return List.copyOf(certificates);
    }

    public boolean hasKeysFor(String groupId) {
        return trusted.stream().anyMatch(t -> t.covers(groupId));
    }

    List<OpenPGPCertificate> certificatesFor(String groupId) {
        return trusted.stream().filter(t -> t.covers(groupId)).flatMap(t -> t.certificates().stream()).toList();
    }

    /** The trusted fingerprints for {@code groupId}, for messages. */
    String describeFor(String groupId) {
        return certificatesFor(groupId).stream().map(c -> OpenPgpFiles.hex(c.getFingerprint()))
                .collect(Collectors.joining(", "));
    }
}
