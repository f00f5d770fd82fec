package dev.flowgraph.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Slow, stalled and idle clients hold no thread and no slot; too many connections are refused cleanly. */
class SlowClientsTest {
    private static final int STALLED = 40; // more than the worker threads (16 + concurrency)

    private static Socket connect(StoryServer server) throws IOException {
        URI uri = URI.create(server.url);
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readAll(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** A normal streamed request; returns the milliseconds to its first event. */
    private static double firstEventMillis(StoryServer server) throws Exception {
        long start = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> response = Http.CLIENT.send(
                Http.post(server.prompt(), StoryServer.KEY, Http.body("Once upon a time,")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        try (var lines = response.body()) {
            assertThat(lines.filter(l -> l.startsWith("data: ")).findFirst()).isPresent();
        }
        return (System.nanoTime() - start) / 1e6;
    }

    @Test
    void clientsThatStallInTheirBodyOrHeadersHoldNothingAndAreTimedOut() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("api.warmupSeconds", 0, "api.readTimeoutSeconds", 2.0,
                "llm.maxTokens", 16))) {
            List<Socket> halfBodies = new ArrayList<>();
            List<Socket> halfHeaders = new ArrayList<>();
            try {
                firstEventMillis(server); // the client's and the server's first request: loading classes is not the point
                for (int i = 0; i < STALLED; i++) {
                    Socket s = connect(server);
                    send(s, "POST /prompt HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: "
                            + StoryServer.KEY + "\r\nContent-Length: 100\r\n\r\n{\"message\":");
                    halfBodies.add(s);
                    Socket h = connect(server);
                    send(h, "POST /prompt HTTP/1.1\r\nHost: x\r\nContent-Ty");
                    halfHeaders.add(h);
                }
                Thread.sleep(200); // every stalled request has reached the server
                double first = firstEventMillis(server);
                assertThat(first).as("a normal request among %d stalled ones", 2 * STALLED).isLessThan(1000);
                // The normal request's run may still be finishing its story: then no slot stays taken.
                String health = "";
                for (long deadline = System.nanoTime() + 2_000_000_000L; System.nanoTime() < deadline; Thread.sleep(10)) {
                    health = Http.send(java.net.http.HttpRequest.newBuilder(URI.create(server.url + "/health")).build())
                            .body();
                    if (health.contains("\"inFlight\":0")) {
                        break;
                    }
                }
                assertThat(health).as("no stalled request took a slot").contains("\"inFlight\":0");

                long waitStart = System.nanoTime();
                for (Socket s : halfBodies) {
                    String answer = readAll(s);
                    assertThat(answer).startsWith("HTTP/1.1 408").contains("\"type\":\"request_timeout\"")
                            .contains("the request body did not arrive within 2 s");
                }
                for (Socket h : halfHeaders) {
                    assertThat(readAll(h)).as("stalled headers: the connection is closed").isEmpty();
                }
                assertThat((System.nanoTime() - waitStart) / 1e9).isLessThan(5);
                assertThat(firstEventMillis(server)).isLessThan(1000);
            } finally {
                for (Socket s : halfBodies) {
                    s.close();
                }
                for (Socket s : halfHeaders) {
                    s.close();
                }
            }
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAndIdleOnesClosed() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("api.warmupSeconds", 0, "api.maxConnections", 4,
                "api.idleTimeoutSeconds", 2))) {
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = connect(server);
                    send(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                    byte[] buffer = new byte[4096];
                    int n = s.getInputStream().read(buffer);
                    assertThat(new String(buffer, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
                    open.add(s); // kept alive
                }
                Socket fifth = connect(server);
                send(fifth, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                String refused = readAll(fifth);
                assertThat(refused).startsWith("HTTP/1.1 503").contains("Retry-After: 1")
                        .contains("\"type\":\"too_many_connections\"").contains("the limit is 4");

                // Idle kept-alive connections are closed after idleTimeoutSeconds; then new clients get in.
                long start = System.nanoTime();
                for (Socket s : open) {
                    assertThat(s.getInputStream().read()).isEqualTo(-1);
                }
                assertThat((System.nanoTime() - start) / 1e9).isBetween(0.5, 5.0);
                Thread.sleep(100);
                assertThat(Http.send(java.net.http.HttpRequest.newBuilder(URI.create(server.url + "/health")).build())
                        .statusCode()).isEqualTo(200);
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }
}
