package dev.twoliter.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://user:secret@host/x.tgz                | https://***@host/x.tgz",
        "https://user@host:8443/x.tgz?a=b#c            | https://***@host:8443/x.tgz?a=b#c",
        "https://us%40er:se%3Acret@host/x              | https://***@host/x",
        "https://host/x.tgz                            | https://host/x.tgz",
        "file:///home/me@work/cache                    | file:///home/me@work/cache",
        "file:/home/me@work/cache                      | file:/home/me@work/cache",
        "file://me@fileserver/cache                    | file://***@fileserver/cache",
        "http://127.0.0.1:9/a.tgz                      | http://127.0.0.1:9/a.tgz",
    })
    void hidesUserInfoAndNothingElse(String url, String shown) {
        assertThat(Urls.redact(url)).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://registry.example/@scope/pkg/-/p.tgz   | https://***@scope/pkg/-/p.tgz",
        "https://u:secret@host?mail=a@b                | https://***@b",
    })
    void anAtAnywhereHidesWhatPrecedesIt(String url, String shown) {
        assertThat(Urls.redact(url)).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // unescaped characters in the password: no valid URL, or one that parses in a surprising way
        "https://user:se cret@host/x       | https://***@host/x",
        "https://user:se/cret@host/x       | https://***@host/x",
        "https://user:12/34@host/x         | https://***@host/x",
        "https://user:1/2/3@host/x         | https://***@host/x",
        "https://user:12?34@host/x         | https://***@host/x",
        "https://user:se?cret@host/x       | https://***@host/x",
        "https://user:se#cret@host/x       | https://***@host/x",
        "https://user:p@ss@host/x          | https://***@host/x",
        "https://user:secret@              | https://***@",
        "user:secret@host/x                | ***@host/x",
        "https://user:@se/cret/@host/x     | https://***@host/x",
        "https://user:1/@se/cret/@host/x   | https://***@host/x",
        "user:se cret@host/x               | ***@host/x",
        "https://user:sec[ret@host/x       | https://***@host/x",
    })
    void hidesWhatMightBeAPasswordInMalformedUrls(String url, String shown) {
        assertThat(Urls.redact(url)).isEqualTo(shown);
    }

    @Test
    void neverThrowsNorReturnsTheSecret() {
        assertThat(Urls.redact(null)).isEqualTo("(none)");
        assertThat(Urls.redact("")).isEqualTo("");
        assertThat(Urls.redact("http://[oops")).isEqualTo("http://[oops");
        Random random = new Random(42);
        String alphabet = "abc:/?#@%[] 1\\\t.";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder secret = new StringBuilder("S3CR3T");
            for (int n = random.nextInt(6); n > 0; n--) {
                secret.insert(random.nextInt(secret.length() + 1), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String scheme = new String[] {"http://", "https://", "file://", "", "ftp:"}[random.nextInt(5)];
            String url = scheme + "user:" + secret + "@host" + new String[] {"", "/x.tgz", ":80/a?b", "#f"}[random.nextInt(4)];
            assertThat(Urls.redact(url)).as(url).doesNotContain("S3CR3T");
        }
    }

    @Test
    void userInfoBecomesCredentials() {
        assertThat(Urls.userInfo(URI.create("https://al%20ice:p%3Aw:x@host/"))).contains(new Credentials("al ice", "p:w:x"));
        assertThat(Urls.userInfo(URI.create("https://bob@host/"))).contains(new Credentials("bob", ""));
        assertThat(Urls.userInfo(URI.create("https://host/"))).isEmpty();
        assertThat(Urls.userInfo(null)).isEmpty();
    }

    @Test
    void requestsCarryNoUserInfoAndNoFragment() {
        assertThat(Urls.withoutUserInfo(URI.create("https://u:p@host:8443/a%20b?q=1#frag")))
                .hasToString("https://host:8443/a%20b?q=1");
        assertThat(Urls.withoutUserInfo(URI.create("http://[::1]:8080/x"))).hasToString("http://[::1]:8080/x");
    }

    @Test
    void originsCompareSchemeHostAndEffectivePort() {
        assertThat(Urls.origin(URI.create("HTTPS://Host.Example/x"))).isEqualTo(Urls.origin(URI.create("https://host.example:443/y")));
        assertThat(Urls.origin(URI.create("http://host/x"))).isNotEqualTo(Urls.origin(URI.create("https://host/x")));
        assertThat(Urls.origin(URI.create("http://host/x"))).isNotEqualTo(Urls.origin(URI.create("http://host:8080/x")));
    }

    @Test
    void fileNamesStayOnePathSegment() {
        assertThat(Urls.encodeSegment("gcc-c++_1.0 (final)#2?.tar.gz")).isEqualTo("gcc-c++_1.0%20(final)%232%3F.tar.gz");
        assertThat(Urls.encodeSegment("100%.tgz")).isEqualTo("100%25.tgz");
    }

    @Test
    void credentialsNeverPrintThePassword() {
        assertThat(new Credentials("alice", "hunter2").toString()).contains("alice").doesNotContain("hunter2");
    }
}
