package dev.twoliter.engine.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessOwnerTest {
    @Test
    void thisProcessIsAliveAndAVanishedOneIsNot() {
        String me = ProcessOwner.self();
        assertThat(ProcessOwner.isDeadLabel(me)).isFalse();
        String[] parts = me.split("/");
        assertThat(ProcessOwner.isDeadLabel(parts[0] + "/" + Integer.MAX_VALUE + "/1")).isTrue();
        assertThat(ProcessOwner.isDeadLabel(parts[0] + "/" + parts[1] + "/1")).as("pid reused").isTrue();
    }

    @Test
    void containersOfOtherMachinesAreNeverTouched() {
        assertThat(ProcessOwner.isDeadLabel("some-other-host/" + Integer.MAX_VALUE + "/1")).isFalse();
        assertThat(ProcessOwner.isDeadLabel("garbage")).isFalse();
        assertThat(ProcessOwner.isDeadLabel(ProcessOwner.host() + "/x/1")).isFalse();
    }

    @Test
    void theStartIsCountedFromTheLastParenthesisOfTheStatLine() {
        // A command name may contain spaces and parentheses; field 22 is the start in clock ticks.
        String stat = "4242 (evil) 1 2 (name) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 1000 10";
        assertThat(ProcessOwner.startTicks(stat)).isEqualTo(987654L);
    }

    @Test
    void theStartOfARunningProcessDoesNotMoveWithTheClock() {
        // It is read from the process itself, not derived from the boot time and the wall clock.
        long pid = ProcessHandle.current().pid();
        assertThat(ProcessOwner.startOf(pid)).isPresent().isEqualTo(ProcessOwner.startOf(pid));
        assertThat(ProcessOwner.startOf(Integer.MAX_VALUE)).isEmpty();
    }
}
