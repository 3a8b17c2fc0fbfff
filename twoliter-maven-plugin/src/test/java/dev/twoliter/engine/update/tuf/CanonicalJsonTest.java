package dev.twoliter.engine.update.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Expected values were computed with Python's json.dumps(sort_keys=True, separators=(",",":"), ensure_ascii=False). */
class CanonicalJsonTest {
    private static String canonical(String json) throws Exception {
        return new String(CanonicalJson.encode(Fields.MAPPER.readTree(json)), StandardCharsets.UTF_8);
    }

    @Test
    void sortsKeysRecursivelyWithoutWhitespace() throws Exception {
        assertThat(canonical("{ \"b\": [1, -2, {\"z\": null, \"a\": true}], \"a\": \"x\\\"y\\\\z\", \"é\": \"ü\" }"))
                .isEqualTo("{\"a\":\"x\\\"y\\\\z\",\"b\":[1,-2,{\"a\":true,\"z\":null}],\"é\":\"ü\"}");
    }

    @Test
    void ordersKeysByCodePointLikePythonNotByUtf16() throws Exception {
        // U+1F600 is the surrogate pair D83D DE00, which UTF-16 order puts before U+FFFF
        assertThat(canonical("{\"\\ud83d\\ude00\":1,\"\\uffff\":2,\"a\":3,\"B\":4}"))
                .isEqualTo("{\"B\":4,\"a\":3,\"\uffff\":2,\"\ud83d\ude00\":1}");
    }

    @Test
    void escapesOnlyQuoteAndBackslashAndWritesEverythingElseRaw() throws Exception {
        byte[] bytes = CanonicalJson.encode(Fields.MAPPER.readTree("[\"a\\n\\t\\u0001\\u007f/\\\"\\\\ü\"]"));
        assertThat(bytes).isEqualTo("[\"a\n\t\u0001\u007f/\\\"\\\\ü\"]".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesIntegersOfAnySizeAndRefusesFloats() throws Exception {
        assertThat(canonical("[0,-1,9223372036854775807,123456789012345678901234567890]"))
                .isEqualTo("[0,-1,9223372036854775807,123456789012345678901234567890]");
        JsonNode floating = Fields.MAPPER.readTree("{\"version\":1.5}");
        assertThatThrownBy(() -> CanonicalJson.encode(floating)).isInstanceOf(TufException.class)
                .hasMessageContaining("$.version").hasMessageContaining("1.5");
        assertThatThrownBy(() -> CanonicalJson.encode(Fields.MAPPER.readTree("[1e3]")))
                .isInstanceOf(TufException.class);
    }

    @Test
    void filesEscapeControlCharactersSoThatTheyAreJson() throws Exception {
        JsonNode node = Fields.MAPPER.readTree("{\"k\":\"-----BEGIN\\n\\u0001\\\"\"}");
        byte[] file = CanonicalJson.encodeFile(node);
        assertThat(new String(file, StandardCharsets.UTF_8)).isEqualTo("{\"k\":\"-----BEGIN\\u000a\\u0001\\\"\"}");
        assertThat(Fields.MAPPER.readTree(file)).isEqualTo(node);
    }

    @Test
    void refusesLoneSurrogates() {
        assertThatThrownBy(() -> CanonicalJson.encode(Fields.NODES.textNode("a\ud800")))
                .isInstanceOf(TufException.class).hasMessageContaining("surrogate");
    }

    @Test
    void emptyAndNestedStructures() throws Exception {
        assertThat(canonical("{\"a\":{},\"b\":[],\"c\":[[{}]],\"d\":false}"))
                .isEqualTo("{\"a\":{},\"b\":[],\"c\":[[{}]],\"d\":false}");
    }

    @Test
    void keyIdIsTheSha256OfTheCanonicalKey() {
        TufPublicKey key = new TufPublicKey("ed25519", "ed25519",
                "d7f1f8b5e6a2c4e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718");
        assertThat(key.keyId()).isEqualTo("8d0a295494b04eb30b4f08900f4dfd68a78693caa1842c2cf65d9b50c5080a5e");
    }

    @Test
    void parsingRefusesDuplicateKeysAndTrailingData() {
        assertThatThrownBy(() -> Fields.parse("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8), "x.json"))
                .isInstanceOf(TufException.class).hasMessageContaining("x.json");
        assertThatThrownBy(() -> Fields.parse("{} {}".getBytes(StandardCharsets.UTF_8), "x.json"))
                .isInstanceOf(TufException.class);
    }
}
