package dev.twoliter.engine.sbom;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.twoliter.engine.io.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The one way both SBOMs are printed: two-space indents, LF line ends whatever the platform, keys
 * in the order the tree has them, UTF-8, and a final newline. Jackson escapes what JSON requires
 * (quotes, backslashes, control characters); everything else is written as it is.
 */
final class JsonText {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final DefaultIndenter INDENTER = new DefaultIndenter("  ", "\n");
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(INDENTER)
            .withArrayIndenter(INDENTER));

    private JsonText() {}

    static byte[] render(JsonNode document) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        write(document, out);
        return out.toByteArray();
    }

    /**
     * The SHA-256 of what {@link #render} gives, without holding those bytes: large documents are
     * hashed before they are printed for good.
     */
    static String sha256(JsonNode document) {
        MessageDigest digest = Digests.newDigest("SHA-256");
        write(document, new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void write(JsonNode document, OutputStream out) {
        try {
            // Jackson writes UTF-8 to a stream.
            WRITER.without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, document);
            out.write('\n');
        } catch (IOException e) {
            // Memory and digest streams do not fail, and a tree of plain nodes always prints.
            throw new UncheckedIOException("Cannot print a JSON tree", e);
        }
    }
}
