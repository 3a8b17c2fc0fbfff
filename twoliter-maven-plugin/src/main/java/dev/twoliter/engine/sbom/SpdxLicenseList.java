package dev.twoliter.engine.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyclonedx.model.Bom;

/**
 * The SPDX license list the SBOMs are checked against: the copy cyclonedx-core-java ships, so that
 * an expression this class accepts is one the CycloneDX schema accepts too, and no list is fetched
 * from the network. {@code licenses/licenses.json} names the licenses (and the list's version);
 * {@code spdx.schema.json} enumerates licenses and exceptions together, so the exceptions are what
 * it names beyond the licenses.
 */
final class SpdxLicenseList {
    private static final String LICENSES = "licenses/licenses.json";
    private static final String IDS = "spdx.schema.json";
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.\\d+)?");

    /** Lower-case id to the id as the list spells it (ids match case-insensitively, SPDX says). */
    private final Map<String, String> licenses;
    private final Map<String, String> exceptions;
    private final String version;

    private SpdxLicenseList(Map<String, String> licenses, Map<String, String> exceptions, String version) {
        this.licenses = licenses;
        this.exceptions = exceptions;
        this.version = version;
    }

    private static final class Holder {
        static final SpdxLicenseList LIST = load();
    }

    static SpdxLicenseList get() {
        return Holder.LIST;
    }

    /** The list's version as SPDX's {@code licenseListVersion} wants it: {@code major.minor}. */
    String version() {
        return version;
    }

    /** The license id as the list spells it, if {@code id} names a listed license (deprecated ones too). */
    Optional<String> license(String id) {
        return Optional.ofNullable(licenses.get(id.toLowerCase(Locale.ROOT)));
    }

    /** The exception id as the list spells it, if {@code id} names a listed license exception. */
    Optional<String> exception(String id) {
        return Optional.ofNullable(exceptions.get(id.toLowerCase(Locale.ROOT)));
    }

    int licenseCount() {
        return licenses.size();
    }

    int exceptionCount() {
        return exceptions.size();
    }

    private static SpdxLicenseList load() {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode list = read(mapper, LICENSES);
        JsonNode ids = read(mapper, IDS).path("enum");
        Map<String, String> licenses = new HashMap<>();
        for (JsonNode license : list.path("licenses")) {
            String id = license.path("licenseId").asText("");
            if (!id.isEmpty()) {
                licenses.put(id.toLowerCase(Locale.ROOT), id);
            }
        }
        Map<String, String> exceptions = new HashMap<>();
        for (JsonNode id : ids) {
            String text = id.asText("");
            if (!text.isEmpty() && !licenses.containsKey(text.toLowerCase(Locale.ROOT))) {
                exceptions.put(text.toLowerCase(Locale.ROOT), text);
            }
        }
        Matcher version = MAJOR_MINOR.matcher(list.path("licenseListVersion").asText(""));
        // An empty or reshaped list would make every license take the fallback path without a word.
        if (licenses.size() < 100 || exceptions.isEmpty() || !licenses.containsKey("mit")
                || !exceptions.containsKey("classpath-exception-2.0") || !version.matches()) {
            throw new IllegalStateException("The SPDX license list in cyclonedx-core-java (" + LICENSES + ", " + IDS
                    + ") is not in the expected shape: " + licenses.size() + " licenses, " + exceptions.size()
                    + " exceptions, version '" + list.path("licenseListVersion").asText("") + "'");
        }
        return new SpdxLicenseList(Map.copyOf(licenses), Map.copyOf(exceptions),
                version.group(1) + "." + version.group(2));
    }

    private static JsonNode read(ObjectMapper mapper, String resource) {
        // The library's own class loader: its resources are meant, whatever else is on the classpath.
        try (InputStream in = Bom.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("cyclonedx-core-java does not ship " + resource + " any more");
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + resource + " from cyclonedx-core-java", e);
        }
    }
}
