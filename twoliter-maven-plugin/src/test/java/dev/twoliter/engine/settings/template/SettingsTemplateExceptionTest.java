package dev.twoliter.engine.settings.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twoliter.engine.TwoliterException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SettingsTemplateExceptionTest {
    @Test
    void isATwoliterExceptionThatKeepsItsCause() {
        IOException cause = new IOException("x");
        SettingsTemplateException e = new SettingsTemplateException("t:1: broken", cause);
        assertThat(e).isInstanceOf(TwoliterException.class).hasMessage("t:1: broken").hasCause(cause);
    }
}
