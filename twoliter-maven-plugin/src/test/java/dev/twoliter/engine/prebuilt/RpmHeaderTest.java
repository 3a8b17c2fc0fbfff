package dev.twoliter.engine.prebuilt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RpmHeaderTest {
    private static byte[] fixture() throws IOException {
        try (InputStream in = RpmHeaderTest.class.getResourceAsStream("prebuilt-fixture-1.4.0-3.vendor.noarch.rpm")) {
            return in.readAllBytes();
        }
    }

    private static RpmHeader read(byte[] bytes) throws Exception {
        return RpmHeader.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void readsWhatRpmbuildWrote() throws Exception {
        RpmHeader h = read(fixture());
        assertThat(h).isEqualTo(new RpmHeader("prebuilt-fixture", 2, "1.4.0", "3.vendor", "noarch",
                "MIT AND Apache-2.0"));
        assertThat(h.nevra()).isEqualTo("prebuilt-fixture-2:1.4.0-3.vendor.noarch");
        assertThat(h.fileName()).isEqualTo("prebuilt-fixture-1.4.0-3.vendor.noarch.rpm");
    }

    @Test
    void readsAMinimalHeader() throws Exception {
        RpmHeader h = read(TestRpms.bytes("agent", 0, "2.1", "4", "x86_64", false));
        assertThat(h.nevra()).isEqualTo("agent-2.1-4.x86_64");
        assertThat(h.license()).isEqualTo("MIT");
    }

    @Test
    void aTruncatedFileIsRefused() throws Exception {
        byte[] whole = fixture();
        assertThatThrownBy(() -> read(Arrays.copyOf(whole, 300))).isInstanceOf(RpmHeader.Unreadable.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> read(Arrays.copyOf(whole, 40))).hasMessageContaining("lead");
    }

    @Test
    void garbageIsRefused() {
        assertThatThrownBy(() -> read("<html>not found</html>".getBytes())).isInstanceOf(RpmHeader.Unreadable.class)
                .hasMessageContaining("lead");
        byte[] noHeader = new byte[200];
        ByteBuffer.wrap(noHeader).putInt(0xedabeedb);
        assertThatThrownBy(() -> read(noHeader)).hasMessageContaining("no header magic");
    }

    @Test
    void sourcePackagesAreRefused() throws Exception {
        assertThatThrownBy(() -> read(TestRpms.bytes("agent", 0, "2.1", "4", "x86_64", true)))
                .hasMessageContaining("source RPM");
        byte[] noSourceRpm = TestRpms.bytes("agent", 0, "2.1", "4", "x86_64", true);
        noSourceRpm[7] = 0;
        assertThatThrownBy(() -> read(noSourceRpm)).hasMessageContaining("source package");
    }

    @Test
    void hugeCountsAreRefusedBeforeAnyAllocation() throws Exception {
        byte[] bytes = TestRpms.bytes("agent", 0, "2.1", "4", "x86_64", false);
        ByteBuffer.wrap(bytes).putInt(96 + 8, Integer.MAX_VALUE);
        assertThatThrownBy(() -> read(bytes)).hasMessageContaining("declares " + Integer.MAX_VALUE + " tags");
    }

    @Test
    void invalidIdentitiesAreRefused() throws Exception {
        assertThatThrownBy(() -> read(TestRpms.bytes("a gent", 0, "2.1", "4", "x86_64", false)))
                .hasMessageContaining("no valid name");
        assertThatThrownBy(() -> read(TestRpms.bytes("agent", 0, "2.1", "4", "x86-64", false)))
                .hasMessageContaining("no valid name");
    }
}
