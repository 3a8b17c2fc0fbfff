package dev.twoliter.engine.prebuilt;

import dev.twoliter.engine.net.Urls;
import dev.twoliter.engine.source.ExternalSource;
import java.util.Optional;

/** Where a prebuilt RPM comes from: a file of the module, a URL pinned by sha512, or a Maven artifact. */
public sealed interface PrebuiltOrigin {
    /** The origin in a message: what the user wrote, credentials hidden. */
    String describe();

    /** The name the RPM had where it came from, recorded (below {@code prebuilt/}) in the sources list. */
    String fileName();

    /** The download URL for SBOMs, credentials removed. */
    default Optional<String> url() {
        return Optional.empty();
    }

    /** The package URL for SBOMs. */
    default Optional<String> purl() {
        return Optional.empty();
    }

    /** A file below the module directory, by its relative path. */
    record ModuleFile(String path) implements PrebuiltOrigin {
        @Override
        public String describe() {
            return "module file " + path;
        }

        @Override
        public String fileName() {
            return path;
        }
    }

    /** A download, fetched like an external source (lookaside mirrors, cache, upstream). */
    record Download(ExternalSource source) implements PrebuiltOrigin {
        @Override
        public String describe() {
            return "URL " + Urls.redact(source.url());
        }

        @Override
        public String fileName() {
            return source.fileName();
        }

        @Override
        public Optional<String> url() {
            return Optional.of(Urls.redact(source.url()));
        }
    }

    /**
     * A Maven artifact; {@code extension} is the file's (rpm by default, not the rpm packaging's
     * rpm.tar), {@code classifier} may be empty.
     */
    record Artifact(String groupId, String artifactId, String version, String extension, String classifier)
            implements PrebuiltOrigin {
        public String coordinates() {
            return groupId + ":" + artifactId + ":" + version + ":" + extension
                    + (classifier.isEmpty() ? "" : ":" + classifier);
        }

        @Override
        public String describe() {
            return "Maven artifact " + coordinates();
        }

        @Override
        public String fileName() {
            return artifactId + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + "." + extension;
        }

        @Override
        public Optional<String> purl() {
            return Optional.of("pkg:maven/" + groupId + "/" + artifactId + "@" + version + "?type=" + extension
                    + (classifier.isEmpty() ? "" : "&classifier=" + classifier));
        }
    }
}
