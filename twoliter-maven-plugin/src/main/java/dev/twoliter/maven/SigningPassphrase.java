package dev.twoliter.maven;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Where a signing key's passphrase comes from: a settings.xml server entry named by {@code
 * serverIdSetting}, else an environment variable. Never the POM, never a log.
 *
 * @param serverId the id of the server entry, null or blank for none
 * @param environmentVariable the variable read when there is no server id
 * @param serverIdSetting and @param environmentSetting the properties that set them, for messages
 */
record SigningPassphrase(String serverId, String environmentVariable, String serverIdSetting,
        String environmentSetting) {

    Optional<char[]> read(MavenSession session, SettingsDecrypter decrypter) throws TwoliterException {
        if (hasServer()) {
            Optional<char[]> secret = MavenServers.secret(session, decrypter, serverId);
            if (secret.isEmpty()) {
                throw new TwoliterException(serverIdSetting + " names settings.xml <server> " + Syntax.show(serverId)
                        + ", but there is no such server with a <passphrase> or <password>.");
            }
            return secret;
        }
        if (!Syntax.isEnvironmentName(environmentVariable)) {
            throw new TwoliterException(environmentSetting + " is " + Syntax.show(environmentVariable)
                    + "; give the name of an environment variable (letters, digits and '_').");
        }
        return Optional.ofNullable(System.getenv(environmentVariable)).filter(p -> !p.isEmpty()).map(String::toCharArray);
    }

    /** For messages that ask for the passphrase. */
    String source() {
        return hasServer() ? "settings.xml <server> " + serverId
                : "the environment variable " + environmentVariable + " or a settings.xml <server> named by "
                        + serverIdSetting;
    }

    private boolean hasServer() {
        return serverId != null && !serverId.isBlank();
    }
}
