package dev.twoliter.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.vendor.VendorDeclaration;
import dev.twoliter.engine.vendor.VendorKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExternalSourceVendorTest {
    @Test
    void declaresVendoringWithTheRootWithoutTrailingSlashes() throws Exception {
        ExternalSource source = source("go", "agent-1.4.0//");
        assertThat(source.vendorDeclaration("m")).contains(new VendorDeclaration("agent-1.4.0.tar.gz", VendorKind.GO,
                Optional.of("agent-1.4.0")));
        assertThat(source(null, null).vendorDeclaration("m")).isEmpty();
    }

    @Test
    void refusesAnUnknownKindNamingTheSource() {
        assertThatThrownBy(() -> source("npm", null).vendorDeclaration("com.example:agent"))
                .hasMessage("com.example:agent: <vendor> of external source agent-1.4.0.tar.gz is 'npm'; use go or"
                        + " cargo.");
    }

    private static ExternalSource source(String vendor, String root) {
        ExternalSource source = new ExternalSource();
        source.url = "https://releases.example.com/agent-1.4.0.tar.gz";
        source.sha512 = "a".repeat(128);
        source.vendor = vendor;
        source.vendorRoot = root;
        return source;
    }
}
