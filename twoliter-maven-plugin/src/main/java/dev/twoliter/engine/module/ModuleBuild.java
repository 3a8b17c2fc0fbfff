package dev.twoliter.engine.module;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.sdk.SdkImage;
import java.io.IOException;

/**
 * One module's build as {@link ModuleBuildRunner} runs it. A build supplies only what is its own:
 * its inputs, its fingerprint, its steps and its outputs; the runner decides whether the steps run
 * at all.
 *
 * @param <R> what the build hands back to the build tool (files to attach, for example)
 */
public interface ModuleBuild<R> {
    /** Which module, in which SDK image, and whether to build even if nothing changed. */
    Settings settings();

    /** Where the last successful build is recorded. */
    BuildRecord record();

    /** Reads and checks every input; nothing runs in a container yet. */
    void prepareInputs() throws TwoliterException, IOException;

    /** Checks the SDK image against the inputs (for example kits built with another SDK). */
    default void checkSdk(SdkImage sdk, BuildLog log) throws TwoliterException {}

    /** Everything the outputs depend on, the SDK image included. */
    Fingerprint fingerprint(SdkImage sdk) throws TwoliterException, IOException;

    /** The result of the last build, when nothing changed since. */
    R upToDate(BuildRecord record) throws TwoliterException, IOException;

    /** Runs the build's steps; {@code inputs} is the fingerprint that will be recorded. */
    R runSteps(StepContext steps, Fingerprint inputs) throws TwoliterException, IOException;

    /** The outputs to record, so that a later build can tell they are still there and unchanged. */
    Fingerprint outputs(R result, BuildRecord record) throws IOException;

    /** Whether the outputs are disk images: large, so the remote cache keeps them only when asked. */
    default boolean outputsAreImages() {
        return false;
    }

    /** Removes what the build staged, whatever happened. */
    default void cleanUp() throws IOException {}

    /**
     * @param module the module's coordinates, followed by the arch in parentheses when a run builds
     *     several, for every message
     * @param sdkImage the SDK image the steps run in
     * @param pullSdk whether the SDK image may be pulled when it is not present
     * @param force build even if nothing changed since the last build
     */
    record Settings(String module, String sdkImage, boolean pullSdk, boolean force) {
        /**
         * The module's groupId:artifactId without the arch, which names its remote cache entries (the
         * arch is among the inputs, so a run narrowed to one arch finds the entries of a full run).
         * Maven's ids hold no blanks, so the coordinates end at the first one.
         */
        public String coordinates() {
            int blank = module.indexOf(' ');
            return blank < 0 ? module : module.substring(0, blank);
        }
    }
}
