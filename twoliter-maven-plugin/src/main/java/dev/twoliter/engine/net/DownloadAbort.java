package dev.twoliter.engine.net;

import java.io.IOException;

/**
 * Why a transfer was stopped from this side (a limit, a rule) or broke; carries the explanation
 * through the HTTP client's futures. An IOException so that the client treats it as any failed
 * exchange and closes the connection.
 */
final class DownloadAbort extends IOException {
    private static final long serialVersionUID = 1L;

    DownloadAbort(String problem) {
        super(problem);
    }
}
