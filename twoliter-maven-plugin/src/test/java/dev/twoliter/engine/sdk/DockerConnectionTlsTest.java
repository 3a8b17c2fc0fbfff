package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an engine URL and the TLS environment are read and refused; needs no Docker. */
class DockerConnectionTlsTest {
    private static final URI TCP = URI.create("tcp://build2:2376");

    @TempDir
    Path home;

    @Test
    void sshIsRefusedWithTheTwoWaysThatWork() {
        assertThatThrownBy(() -> DockerEngine.connect("ssh://builder:secret@build2", DockerTimeouts.DEFAULTS,
                Terms.PLAIN, BuildLog.SILENT))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Docker host 'ssh://***@build2' uses ssh://, which the Docker client of this plugin"
                        + " (docker-java's zerodep transport) does not support. Use tcp://<host>:2376 with TLS"
                        + " (DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH), or forward the engine's socket over SSH (`ssh -nNT"
                        + " -L /tmp/remote-docker.sock:/var/run/docker.sock <host>`) and use"
                        + " unix:///tmp/remote-docker.sock.");
    }

    @Test
    void socketsAndPlainTcpHaveNoTls() throws Exception {
        assertThat(DockerConnection.tls(URI.create("unix:///var/run/docker.sock"), Map.of("DOCKER_TLS_VERIFY", "1"), home))
                .isNull();
        assertThat(DockerConnection.tls(TCP, Map.of(), home)).isNull();
        assertThat(DockerConnection.tls(TCP, Map.of("DOCKER_TLS_VERIFY", "0"), home)).isNull();
        assertThat(DockerConnection.tls(TCP, Map.of("DOCKER_TLS_VERIFY", ""), home)).isNull();
    }

    @Test
    void aMissingCertificateDirectoryIsNamedWithTheEngine() {
        Path missing = home.resolve("certs");
        assertThatThrownBy(() -> DockerConnection.tls(TCP, Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH",
                missing.toString()), home))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessage("Docker engine tcp://build2:2376: DOCKER_TLS_VERIFY is set, but the certificate directory "
                        + missing + " (DOCKER_CERT_PATH) does not exist. Set DOCKER_CERT_PATH to the directory with the"
                        + " engine's CA (ca.pem) and this client's certificate and key (cert.pem, key.pem).");
    }

    @Test
    void withoutDockerCertPathTheDirectoryIsDotDockerInHome() {
        assertThatThrownBy(() -> DockerConnection.tls(TCP, Map.of("DOCKER_TLS_VERIFY", "true"), home))
                .hasMessageContaining("the certificate directory " + home.resolve(".docker")
                        + " (DOCKER_CERT_PATH is not set) does not exist");
    }

    @Test
    void aMissingKeyIsNamed() throws Exception {
        Path certs = Files.createDirectories(home.resolve("certs"));
        Files.writeString(certs.resolve("ca.pem"), "x");
        Files.writeString(certs.resolve("cert.pem"), "x");
        assertThatThrownBy(() -> DockerConnection.tls(TCP, Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH",
                certs.toString()), home))
                .hasMessage("Docker engine tcp://build2:2376: the certificate directory " + certs + " (DOCKER_CERT_PATH)"
                        + " has no readable key.pem; it needs ca.pem (the engine's CA), cert.pem and key.pem (this"
                        + " client's certificate and key), as `docker --tlsverify` does.");
    }

    @Test
    void filesThatAreNotPemAreReportedAsSuch() throws Exception {
        Path certs = Files.createDirectories(home.resolve("certs"));
        for (String file : DockerTls.FILES) {
            Files.writeString(certs.resolve(file), "not a certificate\n");
        }
        assertThatThrownBy(() -> DockerConnection.tls(TCP, Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH",
                certs.toString()), home))
                .isInstanceOf(BuildEnvironmentException.class)
                .hasMessageStartingWith("Docker engine tcp://build2:2376: ")
                .hasMessageContaining(certs.toString());
    }

    @Test
    void readableCertificatesGiveATlsContext() throws Exception {
        Path certs = Files.createDirectories(home.resolve("certs"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=twoliter-test");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, Date.from(Instant.now().minus(Duration.ofDays(1))),
                Date.from(Instant.now().plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        Files.writeString(certs.resolve("ca.pem"), pem(certificate));
        Files.writeString(certs.resolve("cert.pem"), pem(certificate));
        Files.writeString(certs.resolve("key.pem"), pem(keys.getPrivate()));
        var tls = DockerConnection.tls(TCP, Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString()), home);
        assertThat(tls).isNotNull();
        assertThat(tls.getProtocol()).startsWith("TLS");
    }

    @Test
    void unclearSwitchesAreRefusedNotGuessed() {
        assertThatThrownBy(() -> DockerConnection.tls(TCP, Map.of("DOCKER_TLS_VERIFY", "yes"), home))
                .hasMessage("Docker engine tcp://build2:2376: the environment variable DOCKER_TLS_VERIFY is 'yes';"
                        + " use 1 (on) or 0 (off).");
        assertThatThrownBy(() -> DockerConnection.tls(TCP, Map.of("DOCKER_TLS", "1"), home))
                .hasMessageStartingWith("Docker engine tcp://build2:2376: DOCKER_TLS asks for TLS without checking the"
                        + " engine's certificate, which this plugin does not do.");
    }

    private static String pem(Object object) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
