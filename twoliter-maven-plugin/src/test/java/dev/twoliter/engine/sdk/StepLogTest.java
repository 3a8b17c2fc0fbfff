package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepLogTest {
    @TempDir
    Path dir;

    @Test
    void outputInPiecesBecomesWholeLinesInTheFileAndTheSink() throws Exception {
        List<String> sink = new ArrayList<>();
        Path file = dir.resolve("step.log");
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StepLog log = new StepLog(writer, sink::add);
            log.accept("one\ntw".getBytes(StandardCharsets.UTF_8));
            assertThat(sink).containsExactly("one");
            log.accept("o\n\nthr".getBytes(StandardCharsets.UTF_8));
            log.accept("ee".getBytes(StandardCharsets.UTF_8));
            log.flushPartialLines();
            log.flushPartialLines();
        }
        assertThat(sink).containsExactly("one", "two", "", "three");
        assertThat(file).hasContent("one\ntwo\n\nthree");
    }
}
