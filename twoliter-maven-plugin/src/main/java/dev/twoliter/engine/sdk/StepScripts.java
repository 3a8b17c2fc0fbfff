package dev.twoliter.engine.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The step scripts, shipped as resources next to the classes that run them. Each is run with
 * {@code common.sh} in front of it (the shared helpers and dnf options); the scripts are constant
 * text, and everything a step needs from the build reaches it as environment or files.
 */
public final class StepScripts {
    /** Where package-facts.py is placed in a container. */
    public static final String PACKAGE_FACTS = "/work/.twoliter/package-facts.py";

    private StepScripts() {}

    /**
     * {@code common.sh} followed by the resources {@code names} next to {@code owner}, in order: shared
     * functions of a group of steps first, the step's own script last.
     */
    public static String script(Class<?> owner, String... names) {
        StringBuilder script = new StringBuilder(resource(StepScripts.class, "common.sh"));
        for (String name : names) {
            script.append("\n# ---- ").append(name).append('\n').append(resource(owner, name));
        }
        return script.toString();
    }

    /** Writes package-facts.py into {@code dir} so a step can take it as an input file. */
    public static Path packageFacts(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("package-facts.py"), resource(StepScripts.class, "package-facts.py"));
    }

    static String resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the plugin next to " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
