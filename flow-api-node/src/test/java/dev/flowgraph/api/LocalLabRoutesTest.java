package dev.flowgraph.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LocalLab dialect ({@code locallab-api.txt}) on a flow with the real model: a client written from the spec in
 * Python with requests calls /generate, /chat (streamed and whole) and /generate/batch with capacity 2, and is
 * refused in LocalLab's {@code {"detail"}} shape; and our own {@code llm.locallab} node, in another flow, calls
 * this one's /chat and /generate and streams the same greedy story the flow gives directly.
 */
class LocalLabRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aClientWrittenFromTheSpecUsesEveryGenerationRoute() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("api.concurrency", 2))) {
            String script = TestModels.projectRoot().resolve("flow-api-node/src/test/resources/locallab_client.py")
                    .toString();
            Processes.Result run = Processes.run(List.of(Processes.pythonWithRequests(), script, server.url,
                    StoryServer.KEY));
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            JsonNode out = JSON.readTree(run.stdout());

            JsonNode generate = out.path("generate");
            assertThat(generate.path("status").asInt()).isEqualTo(200);
            String story = generate.path("body").path("response").asText();
            assertThat(story).isNotBlank();
            JsonNode usage = generate.path("body").path("usage");
            assertThat(usage.path("completion_tokens").asInt()).isBetween(1, 24);
            assertThat(usage.path("total_tokens").asInt()).isEqualTo(usage.path("prompt_tokens").asInt()
                    + usage.path("completion_tokens").asInt());
            JsonNode streamed = out.path("generate_stream");
            assertThat(streamed.path("done").asBoolean()).as("ended by data: [DONE]").isTrue();
            assertThat(streamed.path("events").asInt()).as("token by token").isGreaterThan(1);
            assertThat(streamed.path("text").asText()).as("greedy: the stream is the whole answer").isEqualTo(story);

            JsonNode chat = out.path("chat");
            assertThat(chat.path("status").asInt()).isEqualTo(200);
            JsonNode choice = chat.path("body").path("choices").path(0);
            assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
            assertThat(choice.path("finish_reason").asText()).isIn("stop", "length");
            assertThat(out.path("chat_stream").path("text").asText()).isEqualTo(choice.path("message").path("content")
                    .asText()).isNotBlank();
            assertThat(chat.path("body").path("usage").path("prompt_tokens").asInt()).as("the system message counts")
                    .isGreaterThan(usage.path("prompt_tokens").asInt());

            JsonNode batch = out.path("batch");
            assertThat(batch.path("status").asInt()).isEqualTo(200);
            List<String> responses = new ArrayList<>();
            batch.path("body").path("responses").forEach(r -> responses.add(r.asText()));
            List<String> singles = new ArrayList<>();
            out.path("singles").forEach(r -> singles.add(r.asText()));
            assertThat(responses).as("in the prompts' order, each as /generate answers it").isEqualTo(singles);
            assertThat(singles).doesNotHaveDuplicates();
            assertThat(batch.path("body").path("usage").path("completion_tokens").asInt()).isGreaterThan(24);

            assertDetail(out.path("missing_prompt"), 400, "'prompt' is required");
            assertDetail(out.path("wrong_role"), 400, "messages[0].role");
            assertDetail(out.path("wrong_type"), 400, "'temperature' must be a number");
            assertDetail(out.path("no_key"), 401, "key");
            assertThat(out.path("no_key").path("body").has("error")).as("LocalLab's shape only").isFalse();
        }
    }

    @Test
    void batchesUseEveryFreeSlotAndKeepThemUntilDone() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("api.concurrency", 2))) {
            StringBuilder prompts = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                prompts.append(i == 0 ? "" : ",").append("\"Story ").append(i).append('"');
            }
            HttpResponse<String> answer = Http.send(HttpRequest.newBuilder(URI.create(server.url + "/generate/batch"))
                    .header("Authorization", "Bearer " + StoryServer.KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompts\":[" + prompts + "],\"max_length\":8}"))
                    .build());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).path("responses")).hasSize(6);
            // A run is reported finished just after its answer is collected: give the last one a moment.
            for (int i = 0; i < 100 && server.finishedRuns.size() < 6; i++) {
                Thread.sleep(10);
            }
            assertThat(server.finishedRuns).as("one run per prompt").hasSize(6);

            HttpResponse<String> tooMany = Http.send(HttpRequest.newBuilder(URI.create(server.url + "/generate/batch"))
                    .header("X-API-Key", StoryServer.KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompts\":[]}")).build());
            assertThat(tooMany.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(tooMany.body()).path("detail").asText()).contains("'prompts' must be a list");
        }
    }

    @Test
    void withRateLimitsOnLocalLabsRoutesGetLocalLabsOwnLimit() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("api.rateLimit", "1000 per minute", "llm.maxTokens", 2))) {
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> last = null;
            for (int i = 0; i < 11; i++) {
                last = Http.send(HttpRequest.newBuilder(URI.create(server.url + "/generate"))
                        .header("X-API-Key", StoryServer.KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Hi\"}")).build());
                statuses.add(last.statusCode());
            }
            assertThat(statuses.subList(0, 10)).as("a burst of 10").containsOnly(200);
            assertThat(last.statusCode()).as("the 11th at once: 60 per minute, burst 10").isEqualTo(429);
            assertThat(last.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(last.body()).path("detail").asText()).contains("60 per minute, burst 10");
            assertThat(Http.send(Http.post(server.prompt(), StoryServer.KEY, Http.body("Hi")).build()).statusCode())
                    .as("/prompt keeps the API element's own limit").isEqualTo(200);
        }
    }

    @Test
    void oversizeAndBrokenBodiesOnTheNewRoutesAreRefusedInEachDialectsShapeAndTheNextRequestIsServed() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("api.maxBodyBytes", 2048, "llm.maxTokens", 4))) {
            String big = "{\"prompt\":\"" + "x".repeat(4096) + "\"}";
            for (String path : List.of("/generate", "/chat", "/generate/batch", "/models/load")) {
                HttpResponse<String> tooLarge = post(server, path, big);
                assertThat(tooLarge.statusCode()).as(path).isEqualTo(413);
                assertThat(JSON.readTree(tooLarge.body()).path("detail").asText()).as(path).isNotBlank();
                HttpResponse<String> broken = post(server, path, "{\"prompt\": ");
                assertThat(broken.statusCode()).as(path).isEqualTo(400);
                assertThat(JSON.readTree(broken.body()).path("detail").asText()).as(path).contains("not valid JSON");
            }
            HttpResponse<String> mcp = post(server, "/mcp", big);
            assertThat(mcp.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(mcp.body()).path("error").path("type").asText()).isEqualTo("request_too_large");
            HttpResponse<String> notRpc = post(server, "/mcp", "{\"hello\":1}");
            assertThat(notRpc.statusCode()).isEqualTo(400);
            HttpResponse<String> noStore = post(server, "/remotejobs/v2/jobs", "{}");
            assertThat(noStore.statusCode()).as("jobs need a store").isEqualTo(503);
            assertThat(JSON.readTree(noStore.body()).path("success").asBoolean(true)).isFalse();
            HttpResponse<String> next = post(server, "/generate", "{\"prompt\":\"Hello\"}");
            assertThat(next.statusCode()).as("the next request is served").isEqualTo(200);
        }
    }

    private static HttpResponse<String> post(StoryServer server, String path, String json) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(server.url + path)).header("X-API-Key", StoryServer.KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void ourLocalLabNodeInAnotherFlowStreamsThisFlowsAnswer() throws Exception {
        try (StoryServer served = StoryServer.start(Map.of())) {
            for (String endpoint : List.of("chat", "generate")) {
                FlowDocument story = StoryServer.flow(Map.of());
                List<NodeInstance> nodes = story.nodes().stream()
                        .map(n -> !n.id().equals("llm") ? n : new NodeInstance("llm", "llm.locallab", n.position(),
                                Map.of("baseUrl", served.url, "apiKey", StoryServer.KEY, "endpoint", endpoint,
                                        "maxLength", 20, "doSample", false)))
                        .toList();
                FlowDocument caller = new FlowDocument(story.format(), "caller", "", nodes, story.wires());
                try (StoryServer client = StoryServer.startFlow(caller)) {
                    String viaNode = Http.streamedText(client.prompt(), "Once upon a time,");
                    String path = endpoint.equals("chat") ? "/chat" : "/generate";
                    String body = endpoint.equals("chat")
                            ? "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time,\"}],\"max_length\":20,"
                            + "\"do_sample\":false}"
                            : "{\"prompt\":\"Once upon a time,\",\"max_length\":20,\"do_sample\":false}";
                    HttpResponse<String> direct = Http.send(HttpRequest.newBuilder(URI.create(served.url + path))
                            .header("X-API-Key", StoryServer.KEY).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                    JsonNode answer = JSON.readTree(direct.body());
                    String expected = endpoint.equals("chat")
                            ? answer.path("choices").path(0).path("message").path("content").asText()
                            : answer.path("response").asText();
                    assertThat(viaNode).as(endpoint).isNotBlank().isEqualTo(expected);
                }
            }
        }
    }

    private static void assertDetail(JsonNode call, int status, String says) {
        assertThat(call.path("status").asInt()).as(call.toString()).isEqualTo(status);
        assertThat(call.path("body").path("detail").asText()).contains(says);
    }
}
