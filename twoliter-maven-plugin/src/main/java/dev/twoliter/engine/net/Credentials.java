package dev.twoliter.engine.net;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password for HTTP Basic authentication, as a settings.xml {@code <server>} or a
 * URL's user info gives them. {@link #toString()} never shows the password, so a stray log line or
 * exception message cannot leak it.
 */
public record Credentials(String username, String password) {

    public Credentials {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
    }

    /** The value of an {@code Authorization} header that sends these credentials (RFC 7617, UTF-8). */
    String basicAuthorization() {
        byte[] pair = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair);
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***]";
    }
}
