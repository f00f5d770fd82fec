package dev.flowgraph.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI dialect of the API element, over real HTTP with the real model. */
class OpenAiRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static StoryServer server;

    @BeforeAll
    static void start() throws Exception {
        server = StoryServer.start(Map.of("llm.maxTokens", 64));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> complete(String json) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(server.url + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + StoryServer.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static String request(String extra) {
        return "{\"model\":\"story-api\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time,\"}]"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    @Test
    void aCompletionHasTheOpenAiShapeAndRealUsage() throws Exception {
        HttpResponse<String> r = complete(request(""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode c = JSON.readTree(r.body());
        assertThat(c.get("id").asText()).startsWith("chatcmpl-");
        assertThat(c.get("object").asText()).isEqualTo("chat.completion");
        assertThat(c.get("created").asLong()).isGreaterThan(1_700_000_000L);
        assertThat(c.get("model").asText()).isEqualTo("story-api");
        JsonNode choice = c.get("choices").get(0);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isNotBlank();
        assertThat(choice.get("finish_reason").asText()).isIn("stop", "length");
        JsonNode usage = c.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isPositive();
        assertThat(usage.get("completion_tokens").asInt()).isBetween(1, 64);
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
    }

    @Test
    void maxTokensLimitsTheAnswerAndSaysLength() throws Exception {
        for (String field : List.of("max_tokens", "max_completion_tokens")) {
            JsonNode c = JSON.readTree(complete(request("\"" + field + "\":5")).body());
            assertThat(c.get("usage").get("completion_tokens").asInt()).as(field).isEqualTo(5);
            assertThat(c.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        }
    }

    @Test
    void theSameSeedAtTemperatureZeroGivesTheSameTextAndOverridesAreForOneRunOnly() throws Exception {
        String pinned = request("\"seed\":3,\"temperature\":0,\"max_tokens\":20");
        String first = JSON.readTree(complete(pinned).body()).get("choices").get(0).get("message").get("content").asText();
        String second = JSON.readTree(complete(pinned).body()).get("choices").get(0).get("message").get("content").asText();
        assertThat(first).isNotBlank().isEqualTo(second);
        JsonNode unpinned = JSON.readTree(complete(request("")).body());
        assertThat(unpinned.get("usage").get("completion_tokens").asInt()).isGreaterThan(20);
    }

    @Test
    void stopAsAStringOrAListEndsTheAnswerBeforeIt() throws Exception {
        // Greedy, so the answer with a stop is the same story cut short: first the whole story, which has a full stop.
        String pinned = "\"temperature\":0,\"seed\":5";
        JsonNode whole = JSON.readTree(complete(request(pinned)).body()).get("choices").get(0);
        String story = whole.get("message").get("content").asText();
        assertThat(story).as("the story without a stop").contains(".");
        for (String stop : List.of("\".\"", "[\"!\", \".\"]")) {
            JsonNode c = JSON.readTree(complete(request(pinned + ",\"stop\":" + stop)).body()).get("choices").get(0);
            String cut = c.get("message").get("content").asText();
            assertThat(cut).as(stop).isNotBlank().doesNotContain(".");
            assertThat(story).as(stop).startsWith(cut);
            assertThat(story.substring(cut.length()).stripLeading()).as(stop).startsWith(".");
            assertThat(c.get("finish_reason").asText()).as(stop).isEqualTo("stop");
        }
    }

    @Test
    void streamingSendsTheRoleThenContentThenTheFinishThenUsageThenDone() throws Exception {
        HttpResponse<String> r = complete(request("\"stream\":true,\"max_tokens\":8,\"stream_options\":{\"include_usage\":true}"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> events = Http.events(r.body());
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        JsonNode role = JSON.readTree(events.get(0));
        assertThat(role.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(role.get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(1, events.size() - 3)) {
            JsonNode chunk = JSON.readTree(e);
            assertThat(chunk.get("id").asText()).isEqualTo(role.get("id").asText());
            text.append(chunk.get("choices").get(0).get("delta").get("content").asText());
        }
        assertThat(text.toString()).isNotBlank();
        JsonNode finish = JSON.readTree(events.get(events.size() - 3));
        assertThat(finish.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        JsonNode usage = JSON.readTree(events.get(events.size() - 2));
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage").get("completion_tokens").asInt()).isEqualTo(8);

        List<String> noUsage = Http.events(complete(request("\"stream\":true,\"max_tokens\":4")).body());
        assertThat(noUsage).noneMatch(e -> e.contains("\"usage\""));
    }

    @Test
    void badParametersAre400NamingTheParameter() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "model",
                "{\"model\":\"story-api\",\"messages\":[]}", "messages",
                request("\"n\":2"), "n",
                request("\"temperature\":3"), "temperature",
                request("\"max_tokens\":0"), "max_tokens",
                request("\"stop\":[1]"), "stop",
                request("\"stream\":\"yes\""), "stream",
                "{\"model\":\"story-api\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", "messages[0].role");
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = complete(c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.get("param").asText()).as(c.getKey()).isEqualTo(c.getValue());
        }
    }

    @Test
    void oversizedAndNonJsonBodiesAre413And415() throws Exception {
        try (StoryServer small = StoryServer.start(Map.of("api.maxBodyBytes", 500))) {
            HttpResponse<String> big = Http.send(HttpRequest.newBuilder(URI.create(small.url + "/v1/chat/completions"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + StoryServer.KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(request("").replace("Once upon a time,", "x".repeat(900)))).build());
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(big.body()).get("error").get("type").asText()).isEqualTo("request_too_large");
        }
        HttpResponse<String> text = Http.send(HttpRequest.newBuilder(URI.create(server.url + "/v1/chat/completions"))
                .header("Content-Type", "text/plain").header("Authorization", "Bearer " + StoryServer.KEY)
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build());
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(text.body()).get("error").get("type").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void wrongModelIs404AndWrongKeyIs401InOpenAisShape() throws Exception {
        HttpResponse<String> r = complete(request("").replace("story-api", "gpt-4o"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).get("error").get("code").asText()).isEqualTo("model_not_found");
        HttpResponse<String> wrong = Http.send(HttpRequest.newBuilder(URI.create(server.url + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer nope")
                .POST(HttpRequest.BodyPublishers.ofString(request(""))).build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).get("error").get("type").asText()).isEqualTo("authentication_error");
        HttpResponse<String> xKey = Http.send(HttpRequest.newBuilder(URI.create(server.url + "/v1/models"))
                .header("X-API-Key", StoryServer.KEY).build());
        assertThat(xKey.statusCode()).isEqualTo(200);
        JsonNode model = JSON.readTree(xKey.body()).get("data").get(0);
        assertThat(model.get("id").asText()).isEqualTo("story-api");
        assertThat(model.get("object").asText()).isEqualTo("model");
        assertThat(model.get("owned_by").asText()).isEqualTo("flowgraph");
        assertThat(model.get("created").asLong()).isPositive();
    }

    @Test
    void promptAndChatCompletionsShareOneAdmission() throws Exception {
        try (StoryServer slow = StoryServer.start(Map.of("llm.threads", 2, "llm.maxTokens", 3000,
                "llm.ignoreEos", true, "llm.contextSize", 4096))) {
            CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> first = Http.CLIENT.sendAsync(
                    Http.post(slow.prompt(), StoryServer.KEY, Http.body("Once upon a time,")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            var lines = first.get(10, TimeUnit.SECONDS).body().iterator();
            assertThat(lines.next()).startsWith("data: ");
            HttpResponse<String> busy = Http.send(HttpRequest.newBuilder(URI.create(slow.url + "/v1/chat/completions"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + StoryServer.KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(request(""))).build());
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(JSON.readTree(busy.body()).get("error").get("type").asText()).isEqualTo("server_busy");
            lines.forEachRemaining(l -> { });
        }
    }
}
