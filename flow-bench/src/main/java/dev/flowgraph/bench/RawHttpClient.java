package dev.flowgraph.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The thinnest HTTP/1.1 client that reads a chunked SSE answer on a kept-alive connection, noting event times. */
final class RawHttpClient {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    /**
     * @param firstEventNanos   when the first data event came (for OpenAI's stream: the role chunk)
     * @param firstContentNanos when the first event with text came: the first token
     */
    record Timing(long firstEventNanos, long firstContentNanos, long lastEventNanos, int events) {
    }

    RawHttpClient(String host, int port) throws IOException {
        this.socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = socket.getOutputStream();
        this.host = host + ":" + port;
    }

    Timing postStream(String path, String key, String json) throws IOException {
        return postStream(path, key, json, "");
    }

    /** @param extraHeaders more header lines, each ending in CRLF (such as MCP's {@code Mcp-Session-Id}) */
    Timing postStream(String path, String key, String json, String extraHeaders) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nX-API-Key: "
                + key + "\r\n" + extraHeaders + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        // Headers and body in one segment, as curl and Python's http.client send a small request.
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        out.write(request);
        out.flush();
        String status = line();
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected answer: " + status);
        }
        while (!line().isEmpty()) {
            // headers
        }
        long first = 0;
        long firstContent = 0;
        long last = 0;
        int events = 0;
        while (true) {
            int size = Integer.parseInt(line(), 16);
            if (size == 0) {
                line();
                return new Timing(first, firstContent, last, events);
            }
            byte[] chunk = in.readNBytes(size);
            line();
            // JSON events (ours, OpenAI's) carry the text as "content"; LocalLab's carry the token itself.
            boolean jsonEvent = chunk.length > 7 && chunk[0] == 'd' && chunk[6] == '{'
                    || chunk.length > 6 && chunk[0] == 'e' && chunk[5] == ':'; // "event: message" (MCP)
            boolean token = !jsonEvent && chunk.length > 6 && chunk[0] == 'd' && chunk[5] == ' ' && !isDone(chunk);
            if (jsonEvent || token) {
                last = System.nanoTime();
                if (first == 0) {
                    first = last;
                }
                if (firstContent == 0 && (token || hasContent(chunk))) {
                    firstContent = last;
                }
                events++;
            }
        }
    }

    private static final byte[] CONTENT = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);

    private static boolean isDone(byte[] chunk) {
        return chunk.length >= DONE.length && Arrays.equals(chunk, 0, DONE.length, DONE, 0, DONE.length);
    }

    /** Whether the event carries text: {@code "content":"} followed by something other than the closing quote. */
    private static boolean hasContent(byte[] chunk) {
        outer:
        for (int i = 0; i + CONTENT.length < chunk.length; i++) {
            for (int j = 0; j < CONTENT.length; j++) {
                if (chunk[i + j] != CONTENT[j]) {
                    continue outer;
                }
            }
            return chunk[i + CONTENT.length] != '"';
        }
        return false;
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        if (c == -1) {
            throw new IOException("connection closed");
        }
        return b.toString();
    }
}
