package dev.twoliter.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The plugin's default SDK image must be the one sdk/ builds. */
class SdkVersionConsistencyTest {
    @Test
    void defaultSdkImageMatchesSdkProperties() throws Exception {
        Properties sdk = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("../sdk/sdk.properties"))) {
            sdk.load(in);
        }
        String expected = sdk.getProperty("name") + ":" + sdk.getProperty("version");
        String mojo = Files.readString(Path.of("src/main/java/dev/twoliter/maven/AbstractTwoliterMojo.java"));
        assertThat(mojo).contains("defaultValue = \"" + expected + "\"");
        assertThat(System.getProperty("twoliter.sdkImage")).isEqualTo(expected);
    }
}
