package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DockerEngineOwnerTest {
    @Test
    void thisProcessIsAliveAndAVanishedOneIsNot() {
        String me = DockerEngine.ownerId();
        assertThat(DockerEngine.isDeadOwner(me)).isFalse();
        String[] parts = me.split("/");
        assertThat(DockerEngine.isDeadOwner(parts[0] + "/" + Integer.MAX_VALUE + "/1")).isTrue();
        assertThat(DockerEngine.isDeadOwner(parts[0] + "/" + parts[1] + "/1")).as("pid reused").isTrue();
    }

    @Test
    void containersOfOtherMachinesAreNeverTouched() {
        assertThat(DockerEngine.isDeadOwner("some-other-host/" + Integer.MAX_VALUE + "/1")).isFalse();
        assertThat(DockerEngine.isDeadOwner("garbage")).isFalse();
    }
}
