package dev.twoliter.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the engine logs, each line prefixed by its level ("INFO ", "WARN ", "DEBUG "), for assertions. */
public final class RecordingLog implements BuildLog {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
    }

    @Override
    public void debug(String message) {
        lines.add("DEBUG " + message);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }
}
