package dev.twoliter.maven;

import dev.twoliter.engine.net.Credentials;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** settings.xml {@code <server>} credentials, decrypted the way Maven decrypts them for its own transfers. */
final class MavenServers {
    private MavenServers() {}

    /**
     * The secret of server {@code id}: its {@code <passphrase>}, else its {@code <password>}
     * (decrypted); empty if there is no such server or it holds neither.
     */
    static java.util.Optional<char[]> secret(MavenSession session, SettingsDecrypter decrypter, String id) {
        if (session.getSettings() == null) {
            return java.util.Optional.empty();
        }
        for (Server server : session.getSettings().getServers()) {
            if (!id.equals(server.getId())) {
                continue;
            }
            Server decrypted = server;
            if (decrypter != null) {
                SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
                if (result.getServer() != null) {
                    decrypted = result.getServer();
                }
            }
            String secret = decrypted.getPassphrase() != null ? decrypted.getPassphrase() : decrypted.getPassword();
            return java.util.Optional.ofNullable(secret).map(String::toCharArray);
        }
        return java.util.Optional.empty();
    }

    static Map<String, Credentials> credentials(MavenSession session, SettingsDecrypter decrypter) {
        Map<String, Credentials> servers = new LinkedHashMap<>();
        if (session.getSettings() == null) {
            return servers;
        }
        for (Server server : session.getSettings().getServers()) {
            Server decrypted = server;
            if (decrypter != null) {
                SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
                if (result.getServer() != null) {
                    decrypted = result.getServer();
                }
            }
            if (decrypted.getId() != null && decrypted.getUsername() != null) {
                servers.put(decrypted.getId(), new Credentials(decrypted.getUsername(),
                        decrypted.getPassword() == null ? "" : decrypted.getPassword()));
            }
        }
        return servers;
    }
}
