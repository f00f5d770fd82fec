package dev.flowgraph.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** examples/router-api.flow.json over real HTTP: a Switch, two model branches with their prefixes, a Merge. */
class RouterApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static StoryServer server;

    @BeforeAll
    static void serve() throws Exception {
        FlowDocument flow = FlowFiles.load(TestModels.projectRoot().resolve("examples/router-api.flow.json"))
                .withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                .withSetting("api", "warmupSeconds", 0)
                .withSetting("question_llm", "modelPath", TestModels.stories().toString())
                .withSetting("story_llm", "modelPath", TestModels.stories().toString())
                .withSetting("question_llm", "maxTokens", 48).withSetting("story_llm", "maxTokens", 48);
        server = StoryServer.startFlow(flow);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private Processes.Result specClient(String message) throws Exception {
        String client = TestModels.projectRoot().resolve("examples/clients/stream_story.py").toString();
        return Processes.run(List.of(Processes.pythonWithRequests(), client, message, "--url", server.prompt(),
                "--key", StoryServer.KEY, "--summary"));
    }

    @Test
    void theSpecsClientReadsBothBranchesWithTheirPrefixes() throws Exception {
        server.finishedRuns.clear();
        Processes.Result question = specClient("Why is the sky blue?");
        assertThat(question.exitCode()).as(question.stderr()).isZero();
        assertThat(question.stdout()).startsWith("[question] ");
        JsonNode summary = JSON.readTree(question.stderr().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(summary.get("json_errors").asInt()).isZero();
        Run run = server.finishedRuns.poll(10, TimeUnit.SECONDS);
        assertThat(run.trace().node("question_llm")).isPresent();
        assertThat(run.trace().node("story_llm")).as("a branch not taken never starts its model").isEmpty();

        Processes.Result story = specClient("Once upon a time,");
        assertThat(story.exitCode()).as(story.stderr()).isZero();
        assertThat(story.stdout()).startsWith("[story] ");
        run = server.finishedRuns.poll(10, TimeUnit.SECONDS);
        assertThat(run.trace().node("question_llm")).isEmpty();
        assertThat(run.trace().node("route").orElseThrow().notes()).containsEntry("branch", "default");
    }

    @Test
    void twoHundredAlternatingRequestsNeverHangNorMixTheirStreams() throws Exception {
        for (int i = 0; i < 200; i++) {
            boolean question = i % 2 == 0;
            HttpResponse<String> response = Http.send(Http.post(server.prompt(), StoryServer.KEY,
                    Http.body(question ? "Where is the cat?" : "The cat sat")).build());
            assertThat(response.statusCode()).isEqualTo(200);
            List<String> events = Http.events(response.body());
            assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
            StringBuilder text = new StringBuilder();
            for (String event : events.subList(0, events.size() - 1)) {
                JsonNode choice = JSON.readTree(event).get("choices").get(0);
                assertThat(choice.get("finish_reason").asText()).isNotEqualTo("error");
                text.append(choice.get("message").get("content").asText());
            }
            String answer = text.toString();
            assertThat(answer).as("request " + i).startsWith(question ? "[question] " : "[story] ");
            assertThat(answer.substring(1)).doesNotContain("[question] ").doesNotContain("[story] ");
        }
    }

    @Test
    void aJoinWhoseEveryBranchWasNotTakenEndsTheStreamWithAnErrorNamingIt() throws Exception {
        FlowDocument flow = new FlowDocument(FlowDocument.FORMAT, "nowhere", "", List.of(
                node("initiator", "initiator", Map.of()),
                node("api", "api.element", Map.of("apiKey", StoryServer.KEY, "port", 0, "host", "127.0.0.1",
                        "warmupSeconds", 0)),
                node("route", "route.switch", Map.of("cases", List.of("a: equals a", "b: equals b"))),
                node("merge", "route.merge", Map.of())),
                List.of(Wire.of("initiator.signal", "api.keepAlive"), Wire.of("api.request", "route.in"),
                        Wire.of("route.a", "merge.in"), Wire.of("route.b", "merge.in"),
                        Wire.of("merge.out", "api.response")));
        assertThat(new dev.flowgraph.core.validate.FlowValidator(StoryServer.registry()).validate(flow))
                .singleElement().satisfies(p -> {
                    assertThat(p.isWarning()).as("a warning: the flow still starts").isTrue();
                    assertThat(p.toString()).isEqualTo("warning: node 'route': output 'default' is not wired: runs "
                            + "sent there never reach 'api', which ends them with \"no branch answered\" (wire it, to a "
                            + "Template with a fixed reply for one, or remove the case)");
                });
        try (StoryServer nowhere = StoryServer.startFlow(flow)) {
            long start = System.nanoTime();
            HttpResponse<String> response = Http.send(Http.post(nowhere.prompt(), StoryServer.KEY, Http.body("c")).build());
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
            List<String> events = Http.events(response.body());
            JsonNode last = JSON.readTree(events.get(events.size() - 2));
            assertThat(last.get("choices").get(0).get("finish_reason").asText()).isEqualTo("error");
            assertThat(last.get("error").get("message").asText())
                    .contains("every branch into 'merge' was not taken in this run");
            // In-process (flow run's way in, no socket): the same error, as the run's failure.
            java.util.concurrent.CompletableFuture<dev.flowgraph.core.run.Packet> end = new java.util.concurrent.CompletableFuture<>();
            long inProcess = System.nanoTime();
            nowhere.runtime.entry().submit(dev.flowgraph.core.chat.ChatRequest.ofUser("c"), p -> {
                if (p.isTerminal()) {
                    end.complete(p);
                }
            });
            var failure = (dev.flowgraph.core.run.Packet.Failure) end.get(1, TimeUnit.SECONDS);
            assertThat((System.nanoTime() - inProcess) / 1e9).isLessThan(1.0);
            assertThat(failure.nodeId()).isEqualTo("merge");
            assertThat(failure.message()).isEqualTo("no branch answered: every branch into 'merge' was not taken in this run");
            // The server stays up and serves the next request.
            assertThat(Http.send(Http.post(nowhere.prompt(), StoryServer.KEY, Http.body("a")).build()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void parallelBranchesGatheredAsJsonReachTheClientAsJsonText() throws Exception {
        FlowDocument flow = new FlowDocument(FlowDocument.FORMAT, "gathered", "", List.of(
                node("initiator", "initiator", Map.of()),
                node("api", "api.element", Map.of("apiKey", StoryServer.KEY, "port", 0, "host", "127.0.0.1",
                        "warmupSeconds", 0)),
                node("upper", "text.template", Map.of("template", "A: {{x}}")),
                node("lower", "text.template", Map.of("template", "b: {{x}}")),
                node("gather", "route.gather", Map.of("inputs", List.of("first", "second")))),
                List.of(Wire.of("initiator.signal", "api.keepAlive"), Wire.of("api.request", "upper.x"),
                        Wire.of("api.request", "lower.x"), Wire.of("lower.out", "gather.second"),
                        Wire.of("upper.out", "gather.first"), Wire.of("gather.out", "api.response")));
        try (StoryServer gathered = StoryServer.startFlow(flow)) {
            HttpResponse<String> response = Http.send(Http.post(gathered.prompt(), StoryServer.KEY, Http.body("hi")).build());
            JsonNode first = JSON.readTree(Http.events(response.body()).get(0));
            assertThat(first.get("choices").get(0).get("message").get("content").asText())
                    .isEqualTo("{\"first\":\"A: hi\",\"second\":\"b: hi\"}");
        }
    }

    private static NodeInstance node(String id, String type, Map<String, Object> settings) {
        return new NodeInstance(id, type, new Position(0, 0), settings);
    }
}
