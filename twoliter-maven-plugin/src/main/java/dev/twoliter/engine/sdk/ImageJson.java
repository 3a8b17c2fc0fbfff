package dev.twoliter.engine.sdk;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.testcontainers.shaded.com.fasterxml.jackson.core.JsonFactory;
import org.testcontainers.shaded.com.fasterxml.jackson.core.JsonParser;
import org.testcontainers.shaded.com.fasterxml.jackson.core.JsonToken;

/**
 * The two facts the plugin needs from {@code GET /images/{name}/json}: the image id and its labels,
 * read with Jackson's streaming parser (the one docker-java itself uses) so that nothing else of
 * the answer is materialised.
 */
final class ImageJson {
    record Facts(String id, Map<String, String> labels) {}

    private static final JsonFactory JSON = new JsonFactory();

    private ImageJson() {}

    static Facts parse(byte[] json) throws IOException {
        String id = null;
        Map<String, String> labels = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (field.equals("Id") && value == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else if (field.equals("Config") && value == JsonToken.START_OBJECT) {
                    readLabels(p, labels);
                } else {
                    p.skipChildren();
                }
            }
        }
        if (id == null || !id.matches("sha256:[0-9a-f]{64}")) {
            throw new IOException("the Docker engine's description of the image has no valid Id");
        }
        return new Facts(id, labels);
    }

    private static void readLabels(JsonParser p, Map<String, String> labels) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.getCurrentName();
            JsonToken value = p.nextToken();
            if (field.equals("Labels") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.getCurrentName();
                    if (p.nextToken() == JsonToken.VALUE_STRING) {
                        labels.put(key, p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("the Docker engine's description of the image is not a JSON object");
        }
    }
}
