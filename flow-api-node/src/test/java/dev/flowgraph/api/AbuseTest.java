package dev.flowgraph.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and odd requests over raw sockets: every answer is a 4xx (JSON when a body comes with it) or a 200
 * stream, never a 5xx other than 503, never a hang, and the next normal request is served. CI sends each kind a few
 * times ({@code -Dabuse.rounds=N} sends more; the bench profile's soak runs many thousands).
 */
class AbuseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = Integer.getInteger("abuse.rounds", 12);
    private static StoryServer server;
    private static URI uri;

    @BeforeAll
    static void serve() throws Exception {
        server = StoryServer.start(Map.of("api.warmupSeconds", 0, "api.readTimeoutSeconds", 1.0,
                "llm.maxTokens", 4, "api.concurrency", 2));
        uri = URI.create(server.url);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String post(String path, String headers, byte[] body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers + "Content-Length: "
                + body.length + "\r\n\r\n";
    }

    private static byte[] request(String head, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] json(String body) {
        String headers = "Content-Type: application/json\r\nX-API-Key: " + StoryServer.KEY + "\r\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return request(post("/prompt", headers, bytes), bytes);
    }

    /** The kinds of bad request, each made fresh for round {@code i}. */
    private static Map<String, IntFunction<byte[]>> kinds() {
        Map<String, IntFunction<byte[]>> k = new LinkedHashMap<>();
        k.put("truncated JSON", i -> json("{\"message\": [{\"role\": \"user\", \"content\": \"Once".substring(0, 10 + i % 30)));
        k.put("not JSON", i -> json("message=hello&i=" + i));
        k.put("invalid UTF-8", i -> {
            byte[] body = "{\"message\":[{\"role\":\"user\",\"content\":\"__\"}]}".getBytes(StandardCharsets.UTF_8);
            body[33] = (byte) 0xC3;
            body[34] = (byte) 0x28;
            String headers = "Content-Type: application/json\r\nX-API-Key: " + StoryServer.KEY + "\r\n";
            return request(post("/prompt", headers, body), body);
        });
        k.put("wrong types", i -> json(List.of("{\"message\": \"hi\"}", "{\"message\": [1, 2]}",
                "{\"message\": [{\"role\": 5, \"content\": \"x\"}]}", "{\"message\": [{\"role\": \"user\", \"content\": {}}]}",
                "{\"message\": null}", "[]", "42").get(i % 7)));
        k.put("huge string", i -> json("{\"message\": [{\"role\": \"user\", \"content\": \"" + "a".repeat(200_000)
                + "\"}]}"));
        k.put("deep nesting", i -> json("[".repeat(100_000) + "]".repeat(100_000)));
        k.put("many messages", i -> {
            StringBuilder b = new StringBuilder("{\"message\": [");
            for (int m = 0; m < 5_000; m++) {
                b.append(m == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"x\"}");
            }
            return json(b.append("]}").toString());
        });
        k.put("duplicate keys", i -> json("{\"message\": [], \"message\": [{\"role\":\"user\",\"content\":\"Hi\"}]}"));
        k.put("trailing garbage", i -> json("{\"message\": [{\"role\":\"user\",\"content\":\"Hi\"}]} }}} garbage"));
        k.put("no key", i -> {
            byte[] body = "{\"message\": []}".getBytes(StandardCharsets.UTF_8);
            return request(post("/prompt", "Content-Type: application/json\r\n", body), body);
        });
        k.put("wrong content type", i -> {
            byte[] body = "{\"message\": []}".getBytes(StandardCharsets.UTF_8);
            return request(post("/prompt", "Content-Type: text/plain\r\nX-API-Key: " + StoryServer.KEY + "\r\n", body), body);
        });
        k.put("odd method", i -> ((List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW", "TRACE").get(i % 7))
                + " /prompt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        k.put("odd path", i -> (List.of("/../../etc/passwd", "/%00", "/prompt/../v1/models", "/" + "x".repeat(4000),
                "/v1/chat/completions?x=" + "%".repeat(10), "*").get(i % 6)
                + "").transform(p -> ("GET " + p + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)));
        k.put("oversize header", i -> ("POST /prompt HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(2_000_000)
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        k.put("many headers", i -> {
            StringBuilder b = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
            for (int h = 0; h < 500; h++) {
                b.append("X-H").append(h).append(": v\r\n");
            }
            return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        });
        k.put("bad content length", i -> ("POST /prompt HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
                + "application/json\r\nX-API-Key: " + StoryServer.KEY + "\r\nContent-Length: "
                + List.of("abc", "-5", "99999999999999999999", "4").get(i % 4) + "\r\n\r\n{\"message\": []}")
                .getBytes(StandardCharsets.ISO_8859_1));
        k.put("chunked body", i -> ("POST /prompt HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
                + "application/json\r\nX-API-Key: " + StoryServer.KEY + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                + (i % 2 == 0 ? "5\r\n{\"mes\r\nZZ\r\n" : "10\r\n{\"message\": [{\"\r\n0\r\n\r\n"))
                .getBytes(StandardCharsets.ISO_8859_1));
        k.put("garbage", i -> ("\u0016\u0003\u0001 not http at all " + i + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return k;
    }

    /** Sends raw bytes and reads the whole answer (the server closes); null when it closed without an answer. */
    private static String exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(15_000);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // the server may close while a huge request is still being sent: read what it answered
            }
            InputStream in = socket.getInputStream();
            try {
                String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return answer.isEmpty() ? null : answer;
            } catch (java.net.SocketException reset) {
                return null;
            }
        }
    }

    @Test
    void everyOddRequestGetsA4xxOrAStreamAndTheServerServesTheNextOne() throws Exception {
        Map<String, List<Integer>> statuses = new LinkedHashMap<>();
        for (var kind : kinds().entrySet()) {
            for (int i = 0; i < ROUNDS; i++) {
                long start = System.nanoTime();
                String answer = exchange(kind.getValue().apply(i));
                assertThat((System.nanoTime() - start) / 1e9).as(kind.getKey() + " answered in time").isLessThan(10);
                int status = answer == null ? 0 : Integer.parseInt(answer.substring(9, 12));
                statuses.computeIfAbsent(kind.getKey(), x -> new ArrayList<>()).add(status);
                assertThat(status).as(kind.getKey() + ": " + (answer == null ? "" : answer.lines().findFirst().orElse("")))
                        .satisfiesAnyOf(s -> assertThat(s).isEqualTo(0), s -> assertThat(s).isBetween(400, 499),
                                s -> assertThat(s).isIn(200, 503));
                if (answer != null && status >= 400) {
                    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
                    if (!body.isEmpty()) {
                        JsonNode error = JSON.readTree(body).get("error");
                        assertThat(error.get("type").asText()).as(kind.getKey()).isNotBlank();
                    }
                }
                if (status == 200) {
                    assertThat(answer).as(kind.getKey()).contains("text/event-stream").endsWith("data: [DONE]\n\n");
                }
            }
        }
        // The server is still up: a normal request streams its answer.
        String normal = exchange(json("{\"message\": [{\"role\": \"user\", \"content\": \"Once upon a time,\"}]}"));
        assertThat(normal).startsWith("HTTP/1.1 200").endsWith("data: [DONE]\n\n");
        assertThat(statuses.get("not JSON")).containsOnly(400);
        assertThat(statuses.get("deep nesting")).containsOnly(400);
        assertThat(statuses.get("no key")).containsOnly(401);
        assertThat(statuses.get("wrong content type")).containsOnly(415);
    }
}
