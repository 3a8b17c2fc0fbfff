package dev.twoliter.engine.prebuilt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code rpmkeys --checksig -v} said of one RPM, as the check step wrote it (the report, then
 * {@code exit <status>}). rpm 4.18 prints one line per digest ({@code Payload SHA256 digest: OK})
 * and per signature ({@code Header V4 RSA/SHA512 Signature, key ID 98ffdc9f: NOKEY}).
 */
record CheckReport(List<String> digests, List<Signature> signatures, List<String> errors, int exit) {
    private static final Pattern SIGNATURE = Pattern.compile("\\s*(.*Signature), key ID ([0-9a-fA-F]{8,40}): (\\S+).*");
    private static final Pattern DIGEST = Pattern.compile("\\s*(.*digest): (\\S+).*");
    private static final Pattern EXIT = Pattern.compile("exit (\\d{1,3})");
    /** The report of one RPM is a few lines; more is not rpm talking. */
    static final int MAX_LINES = 200;

    /** One signature line: the kind, the signing key's id as rpm prints it (lower case) and rpm's verdict. */
    record Signature(String kind, String keyId, String verdict) {}

    static CheckReport parse(List<String> lines) {
        List<String> digests = new ArrayList<>();
        List<Signature> signatures = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int exit = -1;
        for (String line : lines.subList(0, Math.min(lines.size(), MAX_LINES))) {
            Matcher m;
            if ((m = SIGNATURE.matcher(line)).matches()) {
                signatures.add(new Signature(m.group(1).trim(), m.group(2).toLowerCase(java.util.Locale.ROOT),
                        m.group(3)));
            } else if ((m = DIGEST.matcher(line)).matches()) {
                if (!m.group(2).equals("OK")) {
                    errors.add(line.trim());
                }
                digests.add(m.group(1).trim());
            } else if ((m = EXIT.matcher(line)).matches()) {
                exit = Integer.parseInt(m.group(1));
            } else if (line.contains("error:") || line.contains("BAD")) {
                errors.add(line.trim());
            }
        }
        return new CheckReport(List.copyOf(digests), List.copyOf(signatures), List.copyOf(errors), exit);
    }

    /** Why rpm finds the file damaged (a digest or signature that does not match, an unreadable file), if it does. */
    Optional<String> damage() {
        List<String> problems = new ArrayList<>(errors);
        signatures.stream().filter(s -> s.verdict().equals("BAD"))
                .forEach(s -> problems.add(s.kind() + ", key ID " + s.keyId() + ": BAD"));
        if (problems.isEmpty() && digests.isEmpty()) {
            problems.add("rpm reports no digest at all");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** Whether every signature verified against the imported key (and there is one). */
    boolean signedByKey() {
        return !signatures.isEmpty() && signatures.stream().allMatch(s -> s.verdict().equals("OK"));
    }

    /** The ids of the keys that signed it, as rpm printed them. */
    List<String> signingKeyIds() {
        return signatures.stream().map(Signature::keyId).distinct().toList();
    }
}
