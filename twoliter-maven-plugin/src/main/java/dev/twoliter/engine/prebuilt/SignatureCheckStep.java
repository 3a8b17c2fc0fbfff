package dev.twoliter.engine.prebuilt;

import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.StepEnvironment;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The check step (prebuilt-check.sh): rpm verifies every prebuilt RPM's digests and, when the module
 * names a signing key, its signatures against that key alone (a fresh rpm database that holds only
 * it), with rpm -K's rules. The RPMs go in by number, never by their names, and the reports come
 * back as files that only this class interprets.
 */
final class SignatureCheckStep {
    static final String SCRIPT = StepScripts.script(SignatureCheckStep.class, "prebuilt-check.sh");
    private static final long MAX_REPORT_BYTES = 64 * 1024;
    private static final int LOG_TAIL_LINES = 20;

    private SignatureCheckStep() {}

    static void run(StepContext steps, String module, List<PrebuiltRpm> rpms, Optional<SigningKey> key,
            Path workDir, Duration timeout, Terms terms) throws TwoliterException, IOException {
        Path out = workDir.resolve("check");
        Path scratch = workDir.resolve("check-scratch");
        AtomicFiles.deleteTree(out);
        AtomicFiles.deleteTree(scratch);
        Files.createDirectories(scratch);
        try {
            Map<String, Path> inputs = new LinkedHashMap<>();
            for (int i = 0; i < rpms.size(); i++) {
                inputs.put("/work/prebuilt/" + i + ".rpm", rpms.get(i).file());
            }
            key.ifPresent(k -> inputs.put("/work/key.asc", k.file()));
            steps.log().info("Checking " + rpms.size() + " prebuilt RPM(s) of " + module + " in SDK "
                    + steps.sdk().reference() + (key.isPresent() ? " against " + key.get().file() : ""));
            ContainerStep step = new ContainerStep(module.replace(':', '-').replace(' ', '-') + "-prebuilt",
                    steps.sdk(), SCRIPT, StepEnvironment.common(), inputs, Map.of(), "/work/out", out,
                    workDir.resolve("prebuilt-check.log"), timeout, line -> steps.log().debug("[prebuilt] " + line));
            StepOutcome outcome = steps.run(step, scratch);
            if (!outcome.succeeded()) {
                throw new PrebuiltException(module + ": checking the prebuilt RPMs failed (exit " + outcome.exitCode()
                        + "). Last lines of the log:\n    " + String.join("\n    ", outcome.logTail(LOG_TAIL_LINES))
                        + "\nFull log: " + outcome.logFile());
            }
            String fingerprints = key.isPresent() ? fingerprints(out.resolve("key.txt")) : "";
            for (int i = 0; i < rpms.size(); i++) {
                judge(module, rpms.get(i), read(out.resolve(i + ".txt")), key, fingerprints, terms);
            }
        } finally {
            AtomicFiles.deleteTree(scratch);
        }
    }

    /** Fails unless rpm found the RPM intact and, with a key, signed by it. */
    static void judge(String module, PrebuiltRpm rpm, List<String> lines, Optional<SigningKey> key,
            String fingerprints, Terms terms) throws PrebuiltException {
        CheckReport report = CheckReport.parse(lines);
        String subject = module + ": prebuilt RPM " + rpm.declaration().origin().describe() + " (" + rpm.file() + ")";
        Optional<String> damage = report.damage();
        if (damage.isPresent()) {
            throw new PrebuiltException(subject + " does not verify: rpm reports " + damage.get() + ". The file is"
                    + " damaged or was changed after it was made; get it again from the vendor.");
        }
        if (key.isEmpty()) {
            return;
        }
        String setting = terms.setting(Terms.Setting.PREBUILT_SIGNING_KEY) + " " + key.get().file() + " ("
                + fingerprints + ")";
        if (report.signatures().isEmpty()) {
            throw new PrebuiltException(subject + " is not signed, but " + setting + " requires every prebuilt RPM"
                    + " to be signed with that key. Take the vendor's signed RPM; if the vendor does not sign its"
                    + " packages, remove " + terms.setting(Terms.Setting.PREBUILT_SIGNING_KEY) + " knowingly.");
        }
        if (!report.signedByKey()) {
            throw new PrebuiltException(subject + " is signed with the key ID " + String.join(", ",
                    report.signingKeyIds()) + ", not with " + setting + ". Take the RPM the vendor signed with that"
                    + " key; if the vendor changed its key, verify the new one with the vendor before you set it.");
        }
    }

    /** The primary and subkey fingerprints gpg listed, for messages. */
    static String fingerprints(Path keyList) throws IOException {
        List<String> fingerprints = new ArrayList<>();
        for (String line : read(keyList)) {
            String[] fields = line.split(":", -1);
            if (fields.length > 9 && fields[0].equals("fpr") && fields[9].matches("[0-9A-F]{40}|[0-9A-F]{64}")) {
                fingerprints.add(fields[9]);
            }
        }
        return fingerprints.isEmpty() ? "fingerprint unknown" : "fingerprint " + String.join(", ", fingerprints);
    }

    private static List<String> read(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_REPORT_BYTES) {
            return List.of();
        }
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
    }
}
