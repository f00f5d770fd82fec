package dev.flowgraph.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Structured answers from the real model over real HTTP: the structured-api example's schema held by llama.cpp's
 * grammar, a request's own response_format on the OpenAI route, and the refusals.
 */
class StructuredOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MOOD_SCHEMA = "{\"type\":\"object\",\"properties\":{\"mood\":{\"enum\":[\"happy\",\"sad\"]},"
            + "\"stars\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5}},\"required\":[\"mood\",\"stars\"]}";

    @Test
    void everyAnswerOfTheStructuredExampleMatchesItsSchema() throws Exception {
        FlowDocument flow = FlowFiles.load(TestModels.projectRoot().resolve("examples/structured-api.flow.json"))
                .withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                .withSetting("llm", "modelPath", TestModels.stories().toString()).withSetting("llm", "threads", 1);
        try (StoryServer server = StoryServer.startFlow(flow)) {
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> r = Http.send(Http.post(server.prompt(), StoryServer.KEY,
                        Http.body("Once upon a time")).build());
                assertThat(r.statusCode()).isEqualTo(200);
                StringBuilder content = new StringBuilder();
                for (String event : Http.events(r.body()).stream().filter(e -> !e.equals("[DONE]")).toList()) {
                    JsonNode e = JSON.readTree(event);
                    assertThat(e.has("error")).as(event).isFalse();
                    content.append(e.path("choices").path(0).path("message").path("content").asText());
                }
                assertStory(content.toString());
            }
            for (int i = 0; i < 5; i++) {
                JsonNode c = JSON.readTree(complete(server, "structured-api", "").body());
                assertStory(c.path("choices").path(0).path("message").path("content").asText());
            }
        }
    }

    @Test
    void aRequestsResponseFormatHoldsThatAnswerOnly() throws Exception {
        try (StoryServer server = StoryServer.start(Map.of("llm.maxTokens", 64))) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = complete(server, "story-api", ",\"max_tokens\":256,\"response_format\":{\"type\":\"json_schema\","
                        + "\"json_schema\":{\"name\":\"review\",\"schema\":" + MOOD_SCHEMA + "}}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode answer = JSON.readTree(JSON.readTree(r.body()).path("choices").path(0).path("message")
                        .path("content").asText());
                assertThat(answer.path("mood").asText()).isIn("happy", "sad");
                assertThat(answer.path("stars").isInt()).as(answer.toString()).isTrue();
                assertThat(answer.path("stars").asInt()).isBetween(1, 5);
            }
            // Any object: the grammar holds the test model to JSON, though this tiny model seldom closes an object it
            // may fill freely; then the run ends saying so rather than passing on half an object.
            HttpResponse<String> anyObject = complete(server, "story-api",
                    ",\"max_tokens\":200,\"response_format\":{\"type\":\"json_object\"}");
            if (anyObject.statusCode() == 200) {
                assertThat(JSON.readTree(JSON.readTree(anyObject.body()).path("choices").path(0).path("message")
                        .path("content").asText()).isObject()).as(anyObject.body()).isTrue();
            } else {
                assertThat(anyObject.body()).contains("cut at maxTokens (200) before its JSON was complete");
            }
            String free = JSON.readTree(complete(server, "story-api", "").body()).path("choices").path(0)
                    .path("message").path("content").asText();
            assertThat(free).as("the next request is free text again").doesNotStartWith("{");

            HttpResponse<String> cut = complete(server, "story-api", ",\"max_tokens\":4,\"response_format\":"
                    + "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"review\",\"schema\":" + MOOD_SCHEMA + "}}");
            assertThat(cut.statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(cut.body()).path("error").path("message").asText())
                    .contains("cut at maxTokens (4)");

            // Schemas llama.cpp's grammar converter cannot read would end the process if handed over: refused first.
            for (String bad : List.of("\"json\"", "{\"type\":\"xml\"}", "{\"type\":\"json_schema\"}",
                    schema("{\"type\":12}"), schema("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"http://x/s\"}}}"),
                    schema("{\"type\":\"string\",\"pattern\":\"[a-z]+\"}"), schema("{\"type\":\"object\",\"not\":{}}"),
                    schema("{\"$ref\":\"#/$defs/none\"}"))) {
                HttpResponse<String> r = complete(server, "story-api", ",\"response_format\":" + bad);
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).path("error").path("param").asText()).as(bad)
                        .startsWith("response_format");
            }
            assertThat(complete(server, "story-api", "").statusCode()).as("still serving").isEqualTo(200);
        }
    }

    @Test
    void theClassifyExampleRoutesEveryMessageByAValidLabel() throws Exception {
        FlowDocument flow = FlowFiles.load(TestModels.projectRoot().resolve("examples/classify-route.flow.json"))
                .withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1");
        for (String llm : List.of("classify", "question_llm", "story_llm")) {
            flow = flow.withSetting(llm, "modelPath", TestModels.stories().toString()).withSetting(llm, "threads", 1);
        }
        try (StoryServer server = StoryServer.startFlow(flow)) {
            for (String message : List.of("Once upon a time", "Why is the sky blue?", "Tell me about a dog", "What is 2+2?")) {
                HttpResponse<String> r = Http.send(Http.post(server.prompt(), StoryServer.KEY, Http.body(message)).build());
                StringBuilder content = new StringBuilder();
                for (String event : Http.events(r.body()).stream().filter(e -> !e.equals("[DONE]")).toList()) {
                    JsonNode e = JSON.readTree(event);
                    assertThat(e.has("error")).as(event).isFalse();
                    content.append(e.path("choices").path(0).path("message").path("content").asText());
                }
                assertThat(content.toString()).as(message).matches("(?s)\\[(question|story)\\] .+");
            }
        }
    }

    @Test
    void aFlowWhoseModelCannotHoldTheFormatRefusesItNamingTheNode() throws Exception {
        FlowDocument story = StoryServer.flow(Map.of());
        List<NodeInstance> nodes = story.nodes().stream()
                .map(n -> !n.id().equals("llm") ? n : new NodeInstance("llm", "llm.locallab", n.position(),
                        Map.of("baseUrl", "http://127.0.0.1:9")))
                .toList();
        FlowDocument flow = new FlowDocument(story.format(), "story-api", story.description(), nodes, story.wires());
        try (StoryServer server = StoryServer.startFlow(flow)) {
            HttpResponse<String> r = complete(server, "story-api", ",\"response_format\":{\"type\":\"json_object\"}");
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode error = JSON.readTree(r.body()).path("error");
            assertThat(error.path("param").asText()).isEqualTo("response_format");
            assertThat(error.path("message").asText()).contains("'llm'", "json_object");
        }
    }

    private static String schema(String schema) {
        return "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"schema\":" + schema + "}}";
    }

    private static void assertStory(String content) throws Exception {
        JsonNode story = JSON.readTree(content);
        assertThat(story.isObject()).as(content).isTrue();
        Set<String> fields = new java.util.HashSet<>();
        story.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as(content).contains("title", "mood");
        assertThat(story.path("title").isTextual()).as(content).isTrue();
        assertThat(story.path("title").asText().length()).as(content).isLessThanOrEqualTo(40);
        assertThat(story.path("mood").asText()).as(content).isIn("happy", "sad");
    }

    private static HttpResponse<String> complete(StoryServer server, String model, String extra) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(server.url + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + StoryServer.KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Once upon a time\"}]" + extra + "}")).build());
    }
}
