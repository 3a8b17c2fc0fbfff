package dev.twoliter.engine.settings.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtensionRequirementTest {
    @Test
    void helpersAreACopyThatCannotChange() {
        List<String> helpers = new ArrayList<>(List.of("default"));
        ExtensionRequirement requirement = new ExtensionRequirement("std", "v1", helpers);
        helpers.add("goarch");
        assertThat(requirement.helpers()).containsExactly("default");
        assertThatThrownBy(() -> requirement.helpers().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
