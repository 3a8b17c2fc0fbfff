package dev.twoliter.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BuildTimestampTest {
    @Test
    void outputTimestampWinsOverSourceDateEpoch() throws Exception {
        assertThat(BuildTimestamp.resolve("2026-01-01T00:00:00Z", "5")).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(BuildTimestamp.resolve("1767225600", null)).contains(Instant.ofEpochSecond(1767225600));
        assertThat(BuildTimestamp.resolve("2026-01-01T01:00:00+01:00", null)).contains(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void fallsBackToSourceDateEpochThenToNothing() throws Exception {
        assertThat(BuildTimestamp.resolve(null, "42")).contains(Instant.ofEpochSecond(42));
        assertThat(BuildTimestamp.resolve("a", "42")).contains(Instant.ofEpochSecond(42));
        assertThat(BuildTimestamp.resolve("", " ")).isEmpty();
    }

    @Test
    void rejectsGarbageNamingWhereItCameFrom() {
        assertThatThrownBy(() -> BuildTimestamp.resolve("yesterday", null))
                .hasMessageContaining("project.build.outputTimestamp 'yesterday'");
        assertThatThrownBy(() -> BuildTimestamp.resolve(null, "soon")).hasMessageContaining("SOURCE_DATE_EPOCH 'soon'");
    }

    @Test
    void refusesTimesRpmHeadersCannotHold() throws Exception {
        assertThatThrownBy(() -> BuildTimestamp.resolve("1960-01-01T00:00:00Z", null))
                .hasMessageContaining("is 1960-01-01T00:00:00Z, outside what RPM headers can hold");
        assertThatThrownBy(() -> BuildTimestamp.resolve(null, "4294967296")).hasMessageContaining("SOURCE_DATE_EPOCH");
        assertThatThrownBy(() -> BuildTimestamp.resolve("99999999999999999999999", null))
                .hasMessageContaining("neither an ISO-8601 date-time");
        assertThat(BuildTimestamp.resolve(null, "4294967295")).contains(Instant.ofEpochSecond(4294967295L));
        assertThat(BuildTimestamp.resolve(null, "0")).contains(Instant.EPOCH);
    }
}
