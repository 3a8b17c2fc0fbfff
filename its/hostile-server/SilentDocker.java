/*
 * The Docker port of the hostile server: TCP connections are accepted and whatever the client sends
 * is read and discarded, but no byte ever comes back. A Docker client therefore connects fine and
 * then waits; hostile-docker asserts that the plugin gives up after its timeout and names the
 * endpoint, instead of hanging.
 */

import java.io.IOException;
import java.net.Socket;

final class SilentDocker {

    private SilentDocker() {
    }

    static void handle(Socket socket, long id) throws IOException {
        HostileServer.log("#" + id + " docker tcp connection from port " + socket.getPort()
                + " -> docker: accepted, never answering");
        HostileServer.stall(socket);
    }
}
