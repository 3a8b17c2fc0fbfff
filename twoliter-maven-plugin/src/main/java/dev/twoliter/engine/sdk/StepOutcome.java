package dev.twoliter.engine.sdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a container step ended. The outputs were copied out only if {@link #succeeded()}.
 *
 * @param timings how long each phase of the step took (create, copy in, run, ...), for debug output
 */
public record StepOutcome(int exitCode, Path logFile, String timings) {

    public StepOutcome(int exitCode, Path logFile) {
        this(exitCode, logFile, "not measured");
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The last lines of the step's log, for error messages. */
    public List<String> logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(log " + logFile + " unreadable: " + e.getMessage() + ")");
        }
    }

    public String logText() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
