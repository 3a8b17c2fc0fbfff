package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.net.Urls;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a {@code tcp://} engine is reached over TLS and with which files, from the environment the
 * docker command line reads: {@code DOCKER_TLS_VERIFY=1} turns it on, {@code DOCKER_CERT_PATH}
 * (default {@code ~/.docker}) holds {@code ca.pem} (the engine's CA), {@code cert.pem} and {@code
 * key.pem} (this client). The files are checked here, before any connection, so that a wrong
 * directory is reported as such and not as an engine that does not answer: docker-java's own check
 * only returns no TLS at all, and the client would then speak plain HTTP to a TLS port. No Docker
 * type here; {@link DockerConnection#tls} reads the files.
 */
final class DockerTls {
    static final String VERIFY = "DOCKER_TLS_VERIFY";
    static final String CERT_PATH = "DOCKER_CERT_PATH";
    /** The docker command line's "TLS without checking the engine's certificate"; not offered here. */
    static final String TLS_WITHOUT_VERIFY = "DOCKER_TLS";
    static final List<String> FILES = List.of("ca.pem", "cert.pem", "key.pem");

    private DockerTls() {}

    /**
     * The checked certificate directory for {@code host}, or null for plain HTTP: for a {@code
     * unix://} socket, or a {@code tcp://} engine when {@code DOCKER_TLS_VERIFY} is not set.
     * {@link DockerJavaApi} reads the files.
     *
     * @param environment the process environment (a map in tests)
     * @param home the user's home, where {@code .docker} is the default certificate directory
     */
    static Path certificates(URI host, Map<String, String> environment, Path home) throws BuildEnvironmentException {
        if (!"tcp".equals(host.getScheme())) {
            return null;
        }
        String engine = Urls.redact(host.toString());
        boolean verify = isOn(environment, VERIFY, engine);
        if (!verify) {
            if (isOn(environment, TLS_WITHOUT_VERIFY, engine)) {
                throw new BuildEnvironmentException("Docker engine " + engine + ": " + TLS_WITHOUT_VERIFY + " asks for TLS"
                        + " without checking the engine's certificate, which this plugin does not do. Set "
                        + VERIFY + "=1 and " + CERT_PATH + " to a directory with ca.pem, cert.pem and key.pem.");
            }
            return null;
        }
        String configured = environment.get(CERT_PATH);
        Path directory = configured == null || configured.isBlank() ? home.resolve(".docker") : Path.of(configured);
        String where = describe(directory, environment);
        if (!Files.isDirectory(directory)) {
            throw new BuildEnvironmentException("Docker engine " + engine + ": " + VERIFY + " is set, but the certificate"
                    + " directory " + where + " does not exist. Set " + CERT_PATH + " to the directory with the"
                    + " engine's CA (ca.pem) and this client's certificate and key (cert.pem, key.pem).");
        }
        for (String file : FILES) {
            Path path = directory.resolve(file);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new BuildEnvironmentException("Docker engine " + engine + ": the certificate directory " + where
                        + " has no readable " + file + "; it needs ca.pem (the engine's CA), cert.pem and key.pem"
                        + " (this client's certificate and key), as `docker --tlsverify` does.");
            }
        }
        return directory;
    }

    /** Where the certificate directory came from, for messages. */
    static String describe(Path directory, Map<String, String> environment) {
        String configured = environment.get(CERT_PATH);
        return directory + (configured == null || configured.isBlank() ? " (" + CERT_PATH + " is not set)"
                : " (" + CERT_PATH + ")");
    }

    /** 1 or true: on; unset, empty, 0 or false: off; anything else is refused rather than guessed. */
    private static boolean isOn(Map<String, String> environment, String name, String engine)
            throws BuildEnvironmentException {
        String value = environment.get(name);
        if (value == null) {
            return false;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true" -> {
                return true;
            }
            case "", "0", "false" -> {
                return false;
            }
            default -> throw new BuildEnvironmentException("Docker engine " + engine + ": the environment variable "
                    + name + " is " + Syntax.show(value) + "; use 1 (on) or 0 (off).");
        }
    }
}
