package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageJsonTest {
    private static final String ID = "sha256:" + "ab".repeat(32);

    @Test
    void readsTheIdAndTheLabelsAndSkipsEverythingElse() throws Exception {
        String json = "{\"RepoTags\":[\"x:1\"],\"Id\":\"" + ID + "\",\"ContainerConfig\":{\"Labels\":{\"wrong\":\"1\"}},"
                + "\"Config\":{\"Env\":[\"A=B\"],\"Labels\":{\"dev.twoliter.sdk.contract\":\"1\",\"n\":null,"
                + "\"o\":{\"deep\":[1,2]}},\"Cmd\":null},\"Size\":12}";
        ImageJson.Facts facts = ImageJson.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(facts.id()).isEqualTo(ID);
        assertThat(facts.labels()).containsExactly(java.util.Map.entry("dev.twoliter.sdk.contract", "1"));
    }

    @Test
    void anImageWithoutLabelsHasNone() throws Exception {
        assertThat(ImageJson.parse(("{\"Id\":\"" + ID + "\",\"Config\":{\"Labels\":null}}").getBytes(StandardCharsets.UTF_8))
                .labels()).isEmpty();
    }

    @Test
    void refusesWhatIsNotAnImageDescription() {
        assertThatThrownBy(() -> ImageJson.parse("[]".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ImageJson.parse("{\"Id\":\"../../etc\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no valid Id");
        assertThatThrownBy(() -> ImageJson.parse("{\"Id\":".getBytes(StandardCharsets.UTF_8))).isInstanceOf(java.io.IOException.class);
    }
}
