package dev.twoliter.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.closure.ExceptedRequirement;
import dev.twoliter.engine.kit.KitException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosureExceptionTest {
    private static ClosureException of(String requirement, String reason) {
        ClosureException e = new ClosureException();
        e.requirement = requirement;
        e.reason = reason;
        return e;
    }

    @Test
    void declarationsAreParsedToRpmsNormalForm() throws Exception {
        List<ExceptedRequirement> parsed = ClosureException.parse(List.of(of(" foo >= 1.2 ", "optional"),
                of("libc.so.6*", "the base has it")), "g:kit");
        assertThat(parsed).extracting(ExceptedRequirement::text).containsExactly("foo >= 1.2", "libc.so.6*");
        assertThat(ClosureException.parse(null, "g:kit")).isEmpty();
    }

    @Test
    void badDeclarationsNameTheModuleAndTheEntry() {
        assertThatThrownBy(() -> ClosureException.parse(List.of(of("a", "r"), of(null, "r")), "g:kit"))
                .isInstanceOf(KitException.class).hasMessage("g:kit: <closureException> 2 has no <requirement>.");
        assertThatThrownBy(() -> ClosureException.parse(List.of(of("foo >=", "r")), "g:kit"))
                .hasMessageStartingWith("g:kit: <closureException> 1: the exception for 'foo >='");
        assertThatThrownBy(() -> ClosureException.parse(List.of(of("foo", " ")), "g:kit"))
                .hasMessageContaining("needs a reason");
        assertThatThrownBy(() -> ClosureException.parse(List.of(of("foo", "r"), of("foo", "s")), "g:kit"))
                .hasMessage("g:kit: the closure exception for foo is declared twice; keep one.");
        List<ClosureException> many = new ArrayList<>(Collections.nCopies(ClosureException.MAX + 1, of("foo", "r")));
        assertThatThrownBy(() -> ClosureException.parse(many, "g:kit")).hasMessageContaining("more than the 1000");
    }
}
