/*
 * A request the hostile server refuses with 400 (malformed request, path escaping the data
 * directory, bad percent-encoding). The message goes into the request's log line only.
 */

final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
        super(message);
    }
}
