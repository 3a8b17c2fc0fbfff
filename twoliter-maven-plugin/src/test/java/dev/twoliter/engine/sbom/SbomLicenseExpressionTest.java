package dev.twoliter.engine.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SbomLicenseExpressionTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MIT | MIT",
        "mit | MIT",
        "apache-2.0 or MIT | ''",
        "Apache-2.0 OR MIT | Apache-2.0 OR MIT",
        "'  ( MIT   OR\tApache-2.0 )  AND  BSD-3-Clause ' | (MIT OR Apache-2.0) AND BSD-3-Clause",
        "((MIT)) | ((MIT))",
        "GPL-2.0-only WITH Classpath-exception-2.0 | GPL-2.0-only WITH Classpath-exception-2.0",
        "gpl-2.0-only with classpath-exception-2.0 | ''",
        "gpl-2.0-only WITH classpath-exception-2.0 | GPL-2.0-only WITH Classpath-exception-2.0",
        "(GPL-2.0-only WITH Linux-syscall-note) OR BSD-2-Clause | (GPL-2.0-only WITH Linux-syscall-note) OR BSD-2-Clause",
        "GPL-2.0+ | GPL-2.0+",
        "Apache-2.0+ | Apache-2.0+",
        "LicenseRef-Vendor.EULA-2 | LicenseRef-Vendor.EULA-2",
        "MIT AND LicenseRef-x OR ISC | MIT AND LicenseRef-x OR ISC",
        "LicenseRef-x WITH Classpath-exception-2.0 | LicenseRef-x WITH Classpath-exception-2.0",
    })
    void validExpressionsAreCanonical(String text, String canonical) {
        Optional<LicenseExpression> parsed = LicenseExpression.parse(text);
        if (canonical.isEmpty()) {
            assertThat(parsed).as(text).isEmpty();
        } else {
            assertThat(parsed).as(text).map(LicenseExpression::text).contains(canonical);
        }
    }

    /** What older RPMs write, and what is broken: all must take the fallback path. */
    @ParameterizedTest
    @ValueSource(strings = {"GPLv2+", "GPLv2", "BSD", "ASL 2.0", "MIT and BSD-3-Clause", "Public Domain",
        "MIT AND", "AND MIT", "(MIT", "MIT)", "()", "MIT OR OR ISC", "MIT ISC", "MIT WITH MIT",
        "Classpath-exception-2.0", "GPL-2.0-only WITH LicenseRef-x", "(MIT OR ISC) WITH Classpath-exception-2.0",
        "GPL-2.0-only WITH", "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "LicenseRef-", "LicenseRef-a_b",
        "LicenseRef-x+", "MIT\u00a0OR ISC", "MIT OR\u0000ISC", "NOASSERTION", "NONE", "", "   ", "+", "MIT++"})
    void nonExpressionsAreRejected(String text) {
        assertThat(LicenseExpression.parse(text)).as(text).isEmpty();
    }

    @Test
    void nullAndOverlongTextsAreNotExpressions() {
        assertThat(LicenseExpression.parse(null)).isEmpty();
        String longText = "MIT" + " OR MIT".repeat(SbomPackage.MAX_LICENSE_LENGTH / 7);
        assertThat(longText.length()).isGreaterThan(SbomPackage.MAX_LICENSE_LENGTH);
        assertThat(LicenseExpression.parse(longText)).isEmpty();
    }

    @Test
    void nestingIsBoundedWithoutOverflowingTheStack() {
        int deep = LicenseExpression.MAX_DEPTH;
        assertThat(LicenseExpression.parse("(".repeat(deep) + "MIT" + ")".repeat(deep))).isPresent();
        assertThat(LicenseExpression.parse("(".repeat(deep + 1) + "MIT" + ")".repeat(deep + 1))).isEmpty();
        assertThat(LicenseExpression.parse("(".repeat(4000))).isEmpty();
    }

    @Test
    void tellsSingleLicensesAndLicenseRefs() {
        assertThat(LicenseExpression.parse("MIT").orElseThrow().singleLicense()).isTrue();
        assertThat(LicenseExpression.parse("(MIT)").orElseThrow().singleLicense()).isFalse();
        assertThat(LicenseExpression.parse("MIT+").orElseThrow().singleLicense()).isFalse();
        assertThat(LicenseExpression.parse("LicenseRef-a").orElseThrow().singleLicense()).isFalse();
        assertThat(LicenseExpression.parse("MIT OR ISC").orElseThrow().singleLicense()).isFalse();
        assertThat(LicenseExpression.parse("LicenseRef-b AND (LicenseRef-a OR MIT) AND LicenseRef-b").orElseThrow()
                .licenseRefs()).containsExactly("LicenseRef-a", "LicenseRef-b");
    }

    @Test
    void theLicenseListComesFromCycloneDx() {
        SpdxLicenseList list = SpdxLicenseList.get();
        assertThat(list.version()).matches("3\\.\\d+");
        assertThat(list.licenseCount()).isGreaterThan(500);
        assertThat(list.exceptionCount()).isGreaterThan(50);
        assertThat(list.license("apache-2.0")).contains("Apache-2.0");
        assertThat(list.license("Classpath-exception-2.0")).isEmpty();
        assertThat(list.exception("LLVM-exception")).contains("LLVM-exception");
        assertThat(list.exception("MIT")).isEmpty();
    }
}
