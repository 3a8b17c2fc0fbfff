package dev.twoliter.engine.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;

/**
 * The official schemas the tests hold both documents to: SPDX 2.3's JSON schema as org.spdx's
 * tools-java ships it ({@code resources/spdx-schema-v2.3.json}, on the test classpath only), and
 * CycloneDX 1.6's through cyclonedx-core-java's own validation (its bundled bom-1.6.schema.json).
 */
final class SbomSchemas {
    static final String SPDX_SCHEMA = "/resources/spdx-schema-v2.3.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SPDX = loadSpdx();

    private SbomSchemas() {}

    private static JsonSchema loadSpdx() {
        try (InputStream in = SbomSchemas.class.getResourceAsStream(SPDX_SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SPDX_SCHEMA + " is not on the test classpath (org.spdx:tools-java)");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> spdxErrors(byte[] document) {
        try {
            JsonNode node = MAPPER.readTree(document);
            return SPDX.validate(node).stream().map(ValidationMessage::getMessage).sorted().toList();
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }

    static List<String> cycloneDxErrors(byte[] document) {
        try {
            return new JsonParser().validate(document, CycloneDxWriter.VERSION).stream()
                    .map(ParseException::getMessage).sorted().toList();
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }

    static JsonNode tree(byte[] document) {
        try {
            return MAPPER.readTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
