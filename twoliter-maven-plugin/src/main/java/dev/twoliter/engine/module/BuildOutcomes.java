package dev.twoliter.engine.module;

/** Where the runner reports how each module's build ended, for the summary at the end of a build. */
public interface BuildOutcomes {
    enum Outcome {
        BUILT, RESTORED, UP_TO_DATE
    }

    BuildOutcomes NONE = (module, outcome) -> {};

    void record(String module, Outcome outcome);
}
