package dev.twoliter.engine.prebuilt;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.kit.LockFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prebuilt RPMs from outside the project (downloads and Maven artifacts) are pinned in {@code
 * twoliter.lock} by SHA-512, like kits: an artifact replaced on a server, or a download whose
 * {@code <sha512>} was edited without anyone updating the lock, is caught by a build that asks no
 * server. Files of the module are not pinned: the project's own version control keeps them.
 */
public final class PrebuiltPins {
    private PrebuiltPins() {}

    /** The pin of one declaration, or empty for a module file. */
    public static Optional<LockFile.PrebuiltPin> of(String module, PrebuiltDeclaration declaration, String sha512) {
        if (declaration.origin() instanceof PrebuiltOrigin.ModuleFile) {
            return Optional.empty();
        }
        return Optional.of(new LockFile.PrebuiltPin(module, declaration.origin().describe(), sha512));
    }

    /** Checks a module's fetched RPMs against the lock, or says once that nothing pins them. */
    public static void check(String module, List<PrebuiltRpm> rpms, Path lockFile, Terms terms, BuildLog log)
            throws TwoliterException, IOException {
        List<LockFile.PrebuiltPin> pins = new ArrayList<>();
        for (PrebuiltRpm rpm : rpms) {
            of(module, rpm.declaration(), rpm.sha512()).ifPresent(pins::add);
        }
        if (pins.isEmpty()) {
            return;
        }
        if (!Files.isRegularFile(lockFile)) {
            log.info(module + ": " + pins.size() + " prebuilt RPM(s) from outside the project, not pinned: there is"
                    + " no " + lockFile + " (write one with " + terms.command(Terms.Command.UPDATE_LOCK) + ").");
            return;
        }
        LockFile lock = LockFile.read(lockFile, terms);
        for (LockFile.PrebuiltPin pin : pins) {
            lock.verifyPrebuilt(pin, lockFile, terms);
        }
    }
}
