package dev.twoliter.engine.image;

import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.sdk.StepExit;
import dev.twoliter.engine.sdk.StepOutcome;
import java.util.List;

/** How a failed image step is worded: which partition is too small and what to raise, or the log's tail. */
final class ImageStepFailure {
    private static final String TOO_SMALL = "twoliter: too small:";

    private ImageStepFailure() {}

    static void failUnlessSucceeded(VariantBuildRequest request, PartitionPlan plan, StepOutcome outcome,
            String stage) throws TwoliterException {
        if (outcome.exitCode() == StepExit.TOO_SMALL.code()) {
            String detail = lastLineWith(outcome.logText(), TOO_SMALL);
            String advice = detail.startsWith("EFI-SYSTEM")
                    ? "The EFI system partition has a fixed size (" + plan.osPartition("EFI-SYSTEM").sizeMib()
                            + " MiB); ship smaller files under /boot/efi"
                    : "Raise " + request.terms().setting(Terms.Setting.OS_IMAGE_SIZE) + " (now "
                            + request.options().osImageSizeGib() + ")";
            throw new TwoliterException(request.module() + ": the image is too small for its content: " + detail + ". "
                    + advice + ". Full log: " + outcome.logFile());
        }
        if (!outcome.succeeded()) {
            throw new TwoliterException(request.module() + ": " + stage + " failed"
                    + (outcome.exitCode() == StepExit.VERITY.code() ? " (dm-verity verification)" : "")
                    + ". Last lines of the log:\n    " + String.join("\n    ", outcome.logTail(30)) + "\nFull log: "
                    + outcome.logFile());
        }
    }

    private static String lastLineWith(String log, String marker) {
        String found = "see the log";
        for (String line : List.of(log.split("\n"))) {
            if (line.startsWith(marker)) {
                found = line.substring(marker.length()).trim();
            }
        }
        return found;
    }
}
