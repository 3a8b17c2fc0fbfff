package dev.twoliter.engine.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoSumTest {
    private static final String ERRORS_ZIP = "h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=";
    private static final String ERRORS_MOD = "h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=";

    @Test
    void readsModulesWithZipAndGoModHashes() throws Exception {
        List<GoModule> modules = GoSum.parse("github.com/pkg/errors v0.9.1 " + ERRORS_ZIP + "\n"
                + "github.com/pkg/errors v0.9.1/go.mod " + ERRORS_MOD + "\n\n"
                + "golang.org/x/sys v0.1.0/go.mod " + ERRORS_MOD + "\n", "go.sum");
        assertThat(modules).containsExactly(
                new GoModule("github.com/pkg/errors", "v0.9.1", ERRORS_ZIP, ERRORS_MOD),
                new GoModule("golang.org/x/sys", "v0.1.0", null, ERRORS_MOD));
    }

    @Test
    void refusesMalformedLinesNamingTheLine() {
        assertThatThrownBy(() -> GoSum.parse("github.com/a v1.0.0 " + ERRORS_ZIP + "\ngithub.com/b v1 x\n", "go.sum"))
                .hasMessageContaining("go.sum line 2").hasMessageContaining("invalid version");
        assertThatThrownBy(() -> GoSum.parse("github.com/a v1.0.0 h2:abc\n", "go.sum"))
                .hasMessageContaining("not an h1: hash");
        assertThatThrownBy(() -> GoSum.parse("../../etc v1.0.0 " + ERRORS_ZIP + "\n", "go.sum"))
                .hasMessageContaining("invalid module path");
        assertThatThrownBy(() -> GoSum.parse("github.com/a v1.0.0 " + ERRORS_ZIP + "\ngithub.com/a v1.0.0 "
                + ERRORS_MOD + "\n", "go.sum")).hasMessageContaining("second, different hash");
    }

    @Test
    void escapesCapitalLettersForTheProxy() {
        GoModule m = new GoModule("github.com/BurntSushi/toml", "v1.0.0", null, null);
        assertThat(m.proxyPath()).isEqualTo("github.com/!burnt!sushi/toml/@v/v1.0.0");
    }

    @Test
    void hashesASynthesizedGoModAsGoDoes() {
        // The go.mod a proxy serves for github.com/pkg/errors v0.9.1, which has none of its own.
        assertThat(GoModuleHash.ofGoMod("module github.com/pkg/errors\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(ERRORS_MOD);
    }
}
