package dev.twoliter.engine.sdk;

/**
 * What Java and {@code step-wrapper.sh}, the main process of every step container, agree on: the
 * wrapper is started before its step is known and waits for these files, so a path changed on one
 * side only would leave every step waiting until its timeout.
 */
final class StepWrapper {
    /** The wrapper's text, run with {@code bash -c}. */
    static final String SCRIPT = StepScripts.resource(StepWrapper.class, "step-wrapper.sh");

    /** The step script, which the wrapper runs with bash. */
    static final String SCRIPT_PATH = "/work/.twoliter-step.sh";
    /** The step's environment, NUL-separated assignments ({@link StepFiles#environmentFile}). */
    static final String ENV_FILE = "/work/.twoliter-env";
    /**
     * The wrapper waits for this file before it runs its step: the inputs arrive first, in the same
     * archive, and the marker is the archive's last entry.
     */
    static final String GO_MARKER = "/work/.twoliter-go";
    /** Where a container on a local engine finds its exchange directory (see {@link StepExchange}). */
    static final String EXCHANGE_PATH = "/work/.twoliter-exchange";
    /** The wrapper's exit code when moving files through the exchange directory failed. */
    static final int EXCHANGE_FAILED = 125;

    private StepWrapper() {}
}
