package dev.flowgraph.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The /prompt stream as real clients see it: the guide's Python parsing, curl -N, and a strict SSE reader. */
class PromptStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static StoryServer server;

    @BeforeAll
    static void start() throws Exception {
        // Two threads decode this model slowly (~1,200 tokens/s): a 600-token answer streams for about half a second.
        server = StoryServer.start(Map.of("llm.threads", 2, "llm.maxTokens", 600, "llm.ignoreEos", true));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theExamplePythonClientReadsAStoryWithNoJsonErrors() throws Exception {
        String client = TestModels.projectRoot().resolve("examples/clients/stream_story.py").toString();
        Processes.Result r = Processes.run(List.of(Processes.pythonWithRequests(), client, "Once upon a time,",
                "--url", server.prompt(), "--key", StoryServer.KEY,
                "--system", "You are a helpful assistant.", "--summary"));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode summary = JSON.readTree(r.stderr().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(summary.get("json_errors").asInt()).isZero();
        // The client printed the same text as it streamed (it adds one newline at the end).
        assertThat(summary.get("text").asText()).isNotBlank();
        assertThat(r.stdout().strip()).isEqualTo(summary.get("text").asText().strip());
        assertThat(summary.get("finish_reason").asText()).isEqualTo("length");
        assertThat(summary.get("content_type").asText()).startsWith("text/event-stream");
        assertThat(summary.get("done").asBoolean()).as("the stream ended with data: [DONE]").isTrue();
        assertThat(summary.get("events").asInt()).isGreaterThan(100);
    }

    @Test
    void curlSeesEachEventInItsOwnChunkAsItIsGenerated() throws Exception {
        Process curl = new ProcessBuilder("curl", "-sN", "--raw", server.prompt(),
                "-H", "Content-Type: application/json", "-H", "X-API-Key: " + StoryServer.KEY,
                "-d", Http.body("Once upon a time,")).start();
        List<Long> arrivals = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(curl.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("data: ")) {
                    arrivals.add(System.nanoTime());
                }
            }
        }
        assertThat(curl.waitFor()).isZero();
        // --raw shows the chunk framing: a hex size line before each chunk. Each data event sits alone in one.
        long chunkSizeLines = lines.stream().filter(l -> l.matches("[0-9a-fA-F]+")).count();
        assertThat(arrivals).hasSizeGreaterThan(100);
        assertThat(chunkSizeLines).isGreaterThanOrEqualTo(arrivals.size());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("data: ")) {
                assertThat(lines.get(i - 1)).as("line before event %d", i).matches("[0-9a-fA-F]+");
            }
        }
    }

    @Test
    void curlGetsTheFirstEventWhileTheRestIsStillBeingGenerated() throws Exception {
        // Streamed, not delivered in one block at the end: the answer is held after its first piece, and curl must
        // have that piece while it waits. No clock involved, so it holds on a slow machine and a fast one.
        GateNode gate = new GateNode();
        gate.answers = GateNode.hold();
        try (StoryServer held = StoryServer.startFlow(GateNode.flow(Map.of("apiKey", "${env:FLOW_API_KEY}",
                "port", 0, "host", "127.0.0.1"), false), gate)) {
            Process curl = new ProcessBuilder("curl", "-sN", held.prompt(), "-H", "Content-Type: application/json",
                    "-H", "X-API-Key: " + StoryServer.KEY, "-d", Http.body("Once upon a time,")).start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(curl.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(in.readLine()).startsWith("data: {\"choices\":").contains("first");
                assertThat(curl.isAlive()).as("the stream is still open").isTrue();
                gate.answers.countDown();
                List<String> rest = in.lines().toList();
                assertThat(rest).anyMatch(l -> l.contains("second")).last().isEqualTo("");
                assertThat(rest).contains("data: [DONE]");
            } finally {
                gate.openAll();
                curl.destroyForcibly();
            }
        }
    }

    @Test
    void everyEventIsAChoiceWithStringContentThenUsageThenDone() throws Exception {
        HttpResponse<String> r = Http.send(Http.post(server.prompt(), StoryServer.KEY, Http.body("Once upon a time,")).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> events = Http.events(r.body());
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        List<String> json = events.subList(0, events.size() - 1);
        StringBuilder text = new StringBuilder();
        for (String e : json) {
            assertThat(e).startsWith("{\"choices\":");
            JsonNode choice = JSON.readTree(e).get("choices").get(0);
            assertThat(choice.get("message").get("content").isTextual()).as(e).isTrue();
            assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
            text.append(choice.get("message").get("content").asText());
        }
        JsonNode last = JSON.readTree(json.get(json.size() - 1));
        assertThat(last.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(last.get("usage").get("completion_tokens").asInt()).isEqualTo(600);
        assertThat(last.get("usage").get("prompt_tokens").asInt()).isPositive();
        assertThat(last.get("usage").get("total_tokens").asInt()).isEqualTo(
                last.get("usage").get("prompt_tokens").asInt() + 600);
        assertThat(text.toString()).isNotBlank();
    }

    @Test
    void healthSaysRunningAndIdle() throws Exception {
        HttpResponse<String> r = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url + "/health")).build());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(r.body());
        assertThat(health.get("running").asBoolean()).isTrue();
        assertThat(health.get("busy").asBoolean()).isFalse();
        assertThat(health.get("flow").asText()).isEqualTo("story-api");
    }
}
