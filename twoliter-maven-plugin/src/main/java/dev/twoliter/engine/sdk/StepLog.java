package dev.twoliter.engine.sdk;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a container's output into lines for the step's log file and the build log. Output arrives
 * in pieces that need not end at a line; what is left when the container is gone is flushed as a
 * last line.
 */
final class StepLog implements Consumer<byte[]> {
    private final BufferedWriter file;
    private final Consumer<String> sink;
    private final StringBuilder partial = new StringBuilder();

    StepLog(BufferedWriter file, Consumer<String> sink) {
        this.file = file;
        this.sink = sink;
    }

    @Override
    public synchronized void accept(byte[] output) {
        partial.append(new String(output, StandardCharsets.UTF_8));
        for (int nl; (nl = partial.indexOf("\n")) >= 0; ) {
            emit(partial.substring(0, nl));
            partial.delete(0, nl + 1);
        }
    }

    synchronized void flushPartialLines() {
        if (partial.length() > 0) {
            emit(partial.toString());
            partial.setLength(0);
        }
    }

    private void emit(String line) {
        try {
            file.write(line);
            file.newLine();
            file.flush();
        } catch (IOException e) {
            // The build log still shows the line; the file is best effort.
        }
        sink.accept(line);
    }
}
