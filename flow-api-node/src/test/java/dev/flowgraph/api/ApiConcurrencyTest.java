package dev.flowgraph.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.testing.TestFlows;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One request at a time, clients that leave, many requests in a row, and keep-alive comments. */
class ApiConcurrencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Two threads (~1,200 tokens/s here) and 3,000 tokens: a stream that lasts a couple of seconds. */
    private static final Map<String, Object> LONG_ANSWERS = Map.of("llm.threads", 2, "llm.maxTokens", 3000,
            "llm.ignoreEos", true, "llm.contextSize", 4096);

    @Test
    void aSecondRequestWhileOneStreamsGets503AtOnceAndTheFirstCompletesIntact() throws Exception {
        try (StoryServer server = StoryServer.start(LONG_ANSWERS)) {
            CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> first = Http.CLIENT.sendAsync(
                    Http.post(server.prompt(), StoryServer.KEY, Http.body("Once upon a time,")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            HttpResponse<java.util.stream.Stream<String>> streaming = first.get(10, TimeUnit.SECONDS);
            var lines = streaming.body().iterator();
            assertThat(lines.next()).startsWith("data: {\"choices\":"); // the first is streaming now

            HttpResponse<String> second = Http.send(Http.post(server.prompt(), StoryServer.KEY, Http.body("Hello")).build());
            assertThat(second.statusCode()).isEqualTo(503);
            assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(JSON.readTree(second.body()).get("error").get("type").asText()).isEqualTo("server_busy");
            HttpResponse<String> health = Http.send(java.net.http.HttpRequest.newBuilder(URI.create(server.url + "/health")).build());
            assertThat(JSON.readTree(health.body()).get("busy").asBoolean()).isTrue();

            List<String> rest = new ArrayList<>();
            lines.forEachRemaining(rest::add);
            List<String> events = Http.events(String.join("\n", rest));
            assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
            var usage = JSON.readTree(events.get(events.size() - 2)).get("usage");
            assertThat(usage.get("completion_tokens").asInt()).isEqualTo(3000);
            // Every token arrived (the first event was read above); no packet of another run slipped in.
            assertThat(events.size() - 2 + 1).isBetween(2990, 3000);
        }
    }

    @Test
    void aClientThatDisconnectsCancelsItsRunAndTheNextIsServedAtOnce() throws Exception {
        try (StoryServer server = StoryServer.start(LONG_ANSWERS)) {
            URI uri = URI.create(server.prompt());
            String body = Http.body("Once upon a time,");
            Run cancelled;
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /prompt HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "X-API-Key: " + StoryServer.KEY + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                int events = 0;
                String line;
                while (events < 5 && (line = in.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        events++;
                    }
                }
                assertThat(events).isEqualTo(5);
            }
            long leftAt = System.nanoTime();
            cancelled = server.finishedRuns.poll(5, TimeUnit.SECONDS);
            assertThat(cancelled).as("the cancelled run ended").isNotNull();
            assertThat(cancelled.cancelReason()).isEqualTo("client disconnected");
            NodeTrace llm = cancelled.trace().node("llm").orElseThrow();
            assertThat(llm.tokensOut()).isLessThan(3000);

            HttpResponse<InputStream> next = Http.CLIENT.send(
                    Http.post(server.prompt(), StoryServer.KEY, Http.body("Hello")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(next.statusCode()).isEqualTo(200);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(next.body(), StandardCharsets.UTF_8))) {
                assertThat(in.readLine()).startsWith("data: {\"choices\":");
                long firstTokenMillis = (System.nanoTime() - leftAt) / 1_000_000;
                assertThat(firstTokenMillis).as("from the disconnect to the next request's first token").isLessThan(1000);
            }
        }
    }

    @Test
    void aRunPastItsDeadlineEndsWithAnErrorEventAndTheServerServesOn() throws Exception {
        Map<String, Object> settings = new java.util.HashMap<>(LONG_ANSWERS);
        settings.put("api.timeoutSeconds", 1);
        try (StoryServer server = StoryServer.start(settings)) {
            HttpResponse<String> r = Http.send(Http.post(server.prompt(), StoryServer.KEY, Http.body("Once upon a time,")).build());
            List<String> events = Http.events(r.body());
            assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
            var last = JSON.readTree(events.get(events.size() - 2));
            assertThat(last.get("choices").get(0).get("finish_reason").asText()).isEqualTo("error");
            assertThat(last.get("choices").get(0).get("message").get("content").asText()).isEmpty();
            assertThat(last.get("error").get("message").asText()).contains("deadline passed");
            assertThat(events.size()).isLessThan(3000);
        }
    }

    @Test
    void twoHundredRequestsInARowAllSucceedAndHeapStaysFlat() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("llm.maxTokens", 16))) {
            long afterTen = 0;
            for (int i = 1; i <= 200; i++) {
                HttpResponse<String> r = Http.send(Http.post(server.prompt(), StoryServer.KEY, Http.body("Once upon a time,")).build());
                assertThat(r.statusCode()).as("request %d", i).isEqualTo(200);
                assertThat(r.body()).as("request %d", i).endsWith("data: [DONE]\n\n");
                if (i == 10) {
                    afterTen = heapAfterGc();
                }
            }
            long growth = heapAfterGc() - afterTen;
            assertThat(growth).as("heap growth from request 10 to 200, bytes").isLessThan(4L << 20);
        }
    }

    @Test
    void whileNoTokenIsDueAKeepAliveCommentIsSent() throws Exception {
        // Words from flow-core's test nodes stands in for a model busy with a long prompt: 1.5 s per word.
        FlowDocument story = StoryServer.flow(Map.of("api.keepAliveSeconds", 1));
        List<NodeInstance> nodes = new ArrayList<>(story.nodes().stream().filter(n -> !n.id().equals("llm")).toList());
        nodes.add(TestFlows.node("slow", "test.words", Map.of("pauseMillis", 1500)));
        FlowDocument slow = new FlowDocument(1, "slow", "", nodes, List.of(
                Wire.of("initiator.signal", "api.keepAlive"), Wire.of("api.request", "prompt.chat"),
                Wire.of("prompt.chat", "slow.chat"), Wire.of("slow.text", "api.response")));
        try (StoryServer server = StoryServer.startFlow(slow)) {
            HttpResponse<String> r = Http.send(Http.post(server.prompt(), StoryServer.KEY, Http.body("one two")).build());
            assertThat(r.statusCode()).isEqualTo(200);
            List<String> lines = r.body().lines().filter(l -> !l.isEmpty()).toList();
            assertThat(lines.get(0)).isEqualTo(": keep-alive");
            assertThat(lines).filteredOn(l -> l.startsWith("data: {")).hasSize(3);
            assertThat(lines.get(lines.size() - 1)).isEqualTo("data: [DONE]");
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
