package dev.twoliter.engine;

/** Where the engine reports progress; the Maven adapter forwards it to the build log. */
public interface BuildLog {
    void info(String message);

    void warn(String message);

    void debug(String message);

    /** A log that drops everything, for callers that have nowhere to report. */
    BuildLog SILENT = new BuildLog() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
    };
}
