package dev.twoliter.engine.artifact;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Tars;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The artifact of an rpm module: a tar of its RPMs. Kits, variants and other packages read it. */
public final class RpmArchive {
    private RpmArchive() {}

    /** Unpacks the archive into {@code dir} and returns its RPMs (sorted), refusing anything unsafe. */
    public static List<Path> unpack(Path archive, Path dir, String module) throws TwoliterException {
        try (InputStream in = Files.newInputStream(archive)) {
            return Tars.extract(in, "", dir).stream().filter(f -> f.getFileName().toString().endsWith(".rpm"))
                    .map(dir::resolve).sorted().toList();
        } catch (IOException e) {
            throw new TwoliterException(module + ": package artifact " + archive + " is not an archive of RPMs: "
                    + e.getMessage());
        }
    }
}
