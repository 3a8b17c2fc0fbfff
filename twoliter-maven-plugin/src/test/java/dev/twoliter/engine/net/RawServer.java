package dev.twoliter.engine.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately misbehaving HTTP server on 127.0.0.1, written on raw sockets because well-behaved
 * server libraries will not stall, drip, lie about lengths or hang up mid-body.
 */
public final class RawServer implements AutoCloseable {
    /** What to do with one connection after its request head has been read. */
    public interface Behaviour {
        void serve(InputStream in, OutputStream out) throws Exception;
    }

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch clientHungUp = new CountDownLatch(1);

    public RawServer(Behaviour behaviour) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    Thread worker = new Thread(() -> handle(socket, behaviour), "raw-server-connection");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void handle(Socket socket, Behaviour behaviour) {
        try (socket) {
            InputStream in = socket.getInputStream();
            requests.add(readHead(in));
            behaviour.serve(in, socket.getOutputStream());
        } catch (Exception e) {
            // the client hung up while we wrote: that is what the hostile cases wait for
            clientHungUp.countDown();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int b; matched < end.length && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The request heads received, each with request line and headers. */
    public List<String> requests() {
        return requests;
    }

    /** True once a client closed a connection this server still meant to use (bounded wait, a hang guard). */
    public boolean clientHungUp() throws InterruptedException {
        return clientHungUp.await(15, TimeUnit.SECONDS);
    }

    /** Blocks until the client closes the connection, then reports it. */
    public static void waitForHangUp(InputStream in) throws IOException {
        byte[] buffer = new byte[1024];
        while (in.read(buffer) >= 0) {
            // discard: a client has nothing more to say after its request
        }
        throw new IOException("client closed the connection");
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
