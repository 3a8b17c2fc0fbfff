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
