package dev.twoliter.engine.sdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Read-only Docker API calls over the local socket with nothing but the JDK. Asking the engine for
 * an image's id this way costs a few milliseconds; loading the docker-java client costs half a
 * second of class loading, which was most of an up-to-date build's time. So the no-op path uses
 * this, and the client is loaded (in the background) only for builds that run containers.
 *
 * <p>One request per connection ({@code Connection: close}); the answer is bounded in size and
 * every wait is bounded by the connect or read timeout.
 */
final class LocalDockerSocket {
    static final int MAX_RESPONSE_BYTES = 4 << 20;

    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Path socket;
    private final DockerTimeouts timeouts;

    LocalDockerSocket(Path socket, DockerTimeouts timeouts) {
        this.socket = socket;
        this.timeouts = timeouts;
    }

    /** GET {@code path} (already URL-encoded), for example {@code /_ping}. */
    Response get(String path) throws IOException {
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("Not an encoded request path: " + path);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(millis(timeouts.connect())) == 0 || !channel.finishConnect()) {
                    throw new SocketTimeoutException("connect timed out");
                }
                selector.selectedKeys().clear();
            }
            long deadline = System.nanoTime() + timeouts.read().toNanos();
            ByteBuffer request = ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: docker\r\n"
                    + "User-Agent: twoliter-maven\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            while (request.hasRemaining()) {
                await(selector, deadline);
                channel.write(request);
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16 << 10);
            while (true) {
                await(selector, deadline);
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                if (response.size() + n > MAX_RESPONSE_BYTES) {
                    throw new IOException("the Docker engine's answer exceeds " + (MAX_RESPONSE_BYTES >> 20) + " MiB");
                }
                response.write(buffer.array(), 0, n);
                buffer.clear();
            }
            return parse(response.toByteArray());
        }
    }

    private static void await(Selector selector, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0 || selector.select(Math.max(1, Duration.ofNanos(left).toMillis())) == 0) {
            throw new SocketTimeoutException("read timed out");
        }
        selector.selectedKeys().clear();
    }

    private static long millis(Duration d) {
        return Math.max(1, d.toMillis());
    }

    /** An HTTP/1.1 response read to its end: status line, headers, then a plain or chunked body. */
    static Response parse(byte[] raw) throws IOException {
        int headerEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headerEnd < 0) {
            throw new IOException("the Docker engine's answer ended inside its headers");
        }
        String[] head = new String(raw, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = head[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.") || !statusLine[1].matches("[1-5][0-9][0-9]")) {
            throw new IOException("the Docker engine answered something that is not HTTP/1.x");
        }
        boolean chunked = false;
        long length = -1;
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = head[i].substring(colon + 1).trim();
            if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            } else if (name.equals("content-length")) {
                if (!value.matches("[0-9]{1,9}")) {
                    throw new IOException("the Docker engine sent a bad Content-Length");
                }
                length = Long.parseLong(value);
            }
        }
        int start = headerEnd + 4;
        byte[] body;
        if (chunked) {
            body = dechunk(raw, start);
        } else {
            int end = length < 0 ? raw.length : (int) Math.min(raw.length, start + length);
            if (length >= 0 && start + length > raw.length) {
                throw new IOException("the Docker engine's answer is shorter than its Content-Length");
            }
            body = java.util.Arrays.copyOfRange(raw, start, end);
        }
        return new Response(Integer.parseInt(statusLine[1]), body);
    }

    private static byte[] dechunk(byte[] raw, int at) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        while (true) {
            int lineEnd = indexOf(raw, crlf, at);
            if (lineEnd < 0) {
                throw new IOException("the Docker engine's answer ended inside a chunk header");
            }
            String size = new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII);
            int semicolon = size.indexOf(';');
            size = (semicolon >= 0 ? size.substring(0, semicolon) : size).trim();
            if (!size.matches("[0-9a-fA-F]{1,7}")) {
                throw new IOException("the Docker engine sent a bad chunk size");
            }
            int n = Integer.parseInt(size, 16);
            at = lineEnd + 2;
            if (n == 0) {
                return body.toByteArray();
            }
            if (at + n > raw.length) {
                throw new IOException("the Docker engine's answer ended inside a chunk");
            }
            body.write(raw, at, n);
            at += n + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
