package dev.twoliter.engine.closure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpmVersionsTest {
    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource(delimiter = ' ', value = {
        "1.0 1.0 0", "1.0 2.0 -1", "2.0 1.0 1", "2.0.1 2.0.1 0", "2.0 2.0.1 -1", "2.0.1 2.0 1",
        "2.0.1a 2.0.1a 0", "2.0.1a 2.0.1 1", "2.0.1 2.0.1a -1", "5.5p1 5.5p1 0", "5.5p1 5.5p2 -1", "5.5p2 5.5p1 1",
        "5.5p10 5.5p10 0", "5.5p1 5.5p10 -1", "5.5p10 5.5p1 1", "10xyz 10.1xyz -1", "10.1xyz 10xyz 1",
        "xyz10 xyz10 0", "xyz10 xyz10.1 -1", "xyz10.1 xyz10 1", "xyz.4 xyz.4 0", "xyz.4 8 -1", "8 xyz.4 1",
        "xyz.4 2 -1", "2 xyz.4 1", "5.5p2 5.6p1 -1", "5.6p1 5.5p2 1", "5.6p1 6.5p1 -1", "6.5p1 5.6p1 1",
        "6.0.rc1 6.0 1", "6.0 6.0.rc1 -1", "10b2 10a1 1", "10a2 10b2 -1", "1.0aa 1.0aa 0", "1.0a 1.0aa -1",
        "1.0aa 1.0a 1", "10.0001 10.0001 0", "10.0001 10.1 0", "10.1 10.0001 0", "10.0001 10.0039 -1",
        "10.0039 10.0001 1", "4.999.9 5.0 -1", "5.0 4.999.9 1", "20101121 20101121 0", "20101121 20101122 -1",
        "20101122 20101121 1", "2_0 2_0 0", "2.0 2_0 0", "2_0 2.0 0", "a a 0", "a+ a+ 0", "a+ a_ 0", "a_ a+ 0",
        "+a +a 0", "+a _a 0", "_a +a 0", "+_ +_ 0", "_+ +_ 0", "_+ _ 0", "+ _ 0", "_ + 0",
        "1.0~rc1 1.0~rc1 0", "1.0~rc1 1.0 -1", "1.0 1.0~rc1 1", "1.0~rc1 1.0~rc2 -1", "1.0~rc2 1.0~rc1 1",
        "1.0~rc1~git123 1.0~rc1~git123 0", "1.0~rc1~git123 1.0~rc1 -1", "1.0~rc1 1.0~rc1~git123 1",
        "1.0^ 1.0^ 0", "1.0^ 1.0 1", "1.0 1.0^ -1", "1.0^git1 1.0^git1 0", "1.0^git1 1.0 1", "1.0 1.0^git1 -1",
        "1.0^git1 1.0^git2 -1", "1.0^git2 1.0^git1 1", "1.0^git1 1.01 -1", "1.01 1.0^git1 1",
        "1.0^20160101 1.0^20160101 0", "1.0^20160101 1.0.1 -1", "1.0.1 1.0^20160101 1",
        "1.0^20160101^git1 1.0^20160101^git1 0", "1.0^20160102 1.0^20160101^git1 1",
        "1.0^20160101^git1 1.0^20160102 -1", "1.0~rc1^git1 1.0~rc1^git1 0", "1.0~rc1^git1 1.0~rc1 1",
        "1.0~rc1 1.0~rc1^git1 -1", "1.0^git1~pre 1.0^git1~pre 0", "1.0^git1 1.0^git1~pre 1",
        "1.0^git1~pre 1.0^git1 -1",
        // rpm's ordering is not transitive here; it is still rpm's.
        "1b.fc17 1b.fc17 0", "1b.fc17 1.fc17 -1", "1.fc17 1b.fc17 1", "1g.fc17 1g.fc17 0", "1g.fc17 1.fc17 1",
        "1.fc17 1g.fc17 -1",
        // From the issue: numbers beat letters, zeros do not count, digits longer than a long still compare.
        "1.0 1.0.1 -1", "2a 2.0 -1", "1.0010 1.10 0", "123456789012345678901234567890 123456789012345678901234567891 -1"})
    void comparesAsRpmvercmp(String a, String b, int expected) {
        assertThat(RpmVersions.compare(a, b)).isEqualTo(expected);
    }

    /** rpm's own answers for random versions and ranges (rpm-vectors.py wrote them in the SDK image). */
    @Test
    void agreesWithRpmOnThousandsOfGeneratedCases() throws Exception {
        List<String> disagreements = new ArrayList<>();
        int vercmp = 0;
        int overlap = 0;
        for (String line : vectors()) {
            String[] f = line.split(" ");
            if (f[0].equals("vercmp")) {
                vercmp++;
                if (RpmVersions.compare(f[1], f[2]) != Integer.parseInt(f[3])) {
                    disagreements.add(line);
                }
            } else if (f[0].equals("overlap")) {
                overlap++;
                boolean ours = RpmVersions.rangesOverlap(Relation.ofOperator(f[1]), Evr.parse(f[2]),
                        Relation.ofOperator(f[3]), Evr.parse(f[4]));
                if (ours != f[5].equals("1")) {
                    disagreements.add(line);
                }
            }
        }
        assertThat(vercmp).isEqualTo(2000);
        assertThat(overlap).isEqualTo(2000);
        assertThat(disagreements).isEmpty();
    }

    @Test
    void aMissingEpochIsZeroAndAReleaseCountsOnlyWhenBothSidesHaveOne() throws Exception {
        assertThat(RpmVersions.compare(Evr.parse("1.0"), Evr.parse("0:1.0"))).isZero();
        assertThat(RpmVersions.compare(Evr.parse("1:1.0"), Evr.parse("9.9"))).isPositive();
        assertThat(RpmVersions.compare(Evr.parse("1:1.0"), Evr.parse("2:0.1"))).isNegative();
        assertThat(RpmVersions.compare(Evr.parse("1.0"), Evr.parse("1.0-7"))).isZero();
        assertThat(RpmVersions.compare(Evr.parse("1.0-2"), Evr.parse("1.0-10"))).isNegative();
        assertThat(RpmVersions.compare(Evr.parse("1.0-2"), Evr.parse("1.0.1"))).isNegative();
    }

    @Test
    void rangesOverlapAsRpmDecides() throws Exception {
        assertThat(overlap("= 1.0-1", ">= 1.0")).isTrue();
        assertThat(overlap("= 1.0-1", "= 1.0")).isTrue();
        assertThat(overlap("= 1.0-1", "<= 1.0")).isTrue();
        // Equal versions, a release on one side only, and no equality on the side without: no overlap.
        assertThat(overlap("= 1.0-1", "> 1.0")).isFalse();
        assertThat(overlap("= 1.0-1", "< 1.0")).isFalse();
        assertThat(overlap("= 1.0-1", "= 1.0-2")).isFalse();
        assertThat(overlap("= 0.9-1", ">= 1.0")).isFalse();
        assertThat(overlap("= 1.1-1", ">= 1.0")).isTrue();
        assertThat(overlap("< 2.0", "> 1.0")).isTrue();
        assertThat(overlap("< 1.0", "> 1.0")).isFalse();
        assertThat(overlap("<= 1.0", ">= 1.0")).isTrue();
        assertThat(overlap("> 1.0", "> 5.0")).isTrue();
        assertThat(overlap("= 1:1.0-1", ">= 2.0")).isTrue();
        assertThat(overlap("= 1.0-1", ">= 1:0.1")).isFalse();
        assertThat(overlap("= 1.0~rc1-1", ">= 1.0")).isFalse();
        assertThat(overlap("= 1.0^git1-1", "> 1.0")).isTrue();
    }

    private static boolean overlap(String provide, String require) throws Exception {
        Capability p = Capability.parse("foo " + provide);
        Capability r = Capability.parse("foo " + require);
        return RpmVersions.rangesOverlap(p.relation(), p.evr(), r.relation(), r.evr());
    }

    private static List<String> vectors() throws IOException {
        try (InputStream in = RpmVersionsTest.class.getResourceAsStream("rpm-vectors.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
