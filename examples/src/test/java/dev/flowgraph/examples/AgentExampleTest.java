package dev.flowgraph.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpServer;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/agent-api.flow.json served for real, its model a loopback stand-in that speaks OpenAI's chat completions with
 * tools: the stand-in asks for tell_story, the sub-flow writes the story with the real local model, the stand-in
 * answers with it, and a /prompt client reads that answer.
 */
class AgentExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void tellStoryRunsTheSubFlowAndTheAgentsAnswerReachesTheClient() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer standIn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        standIn.setExecutor(Executors.newCachedThreadPool());
        standIn.createContext("/v1/chat/completions", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            received.add(body);
            JsonNode messages = body.path("messages");
            JsonNode last = messages.get(messages.size() - 1);
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                if (!last.path("role").asText().equals("tool")) {
                    write(out, "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_9\","
                            + "\"type\":\"function\",\"function\":{\"name\":\"tell_story\",\"arguments\":"
                            + "\"{\\\"topic\\\":\\\"a brave cat\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}");
                } else {
                    for (String piece : List.of("Here is a story:", " ", last.path("content").asText())) {
                        write(out, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + TextNode.valueOf(piece)
                                + "},\"finish_reason\":null}]}");
                    }
                    write(out, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        standIn.start();
        Path examples = TestModels.projectRoot().resolve("examples");
        Files.createDirectories(dir.resolve("subflows"));
        FlowFiles.save(FlowFiles.load(examples.resolve("subflows/story.flow.json"))
                .withSetting("llm", "modelPath", TestModels.stories().toString()).withSetting("llm", "threads", 1),
                dir.resolve("subflows/story.flow.json"));
        FlowFiles.save(FlowFiles.load(examples.resolve("agent-api.flow.json"))
                .withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                .withSetting("api", "warmupSeconds", 0.0), dir.resolve("agent-api.flow.json"));
        Map<String, String> env = Map.of("FLOW_API_KEY", "AgentExample1",
                "AGENT_BASE_URL", "http://127.0.0.1:" + standIn.getAddress().getPort() + "/v1",
                "AGENT_MODEL", "stand-in", "AGENT_API_KEY", "StandInKey2");
        try (FlowRuntime runtime = FlowRuntime.start(FlowFiles.load(dir.resolve("agent-api.flow.json")),
                NodeRegistry.discover(), RuntimeOptions.serving(dir).withEnvironment(env::get))) {
            String url = ((ApiElementNode) runtime.entry()).server().url() + "/prompt";
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").header("X-API-Key", "AgentExample1")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"message\":[{\"role\":\"user\",\"content\":\"Tell me a story about a brave cat\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            StringBuilder answer = new StringBuilder();
            for (String line : response.body().lines().filter(l -> l.startsWith("data: {")).toList()) {
                JsonNode event = JSON.readTree(line.substring(6));
                assertThat(event.has("error")).as(line).isFalse();
                answer.append(event.path("choices").path(0).path("message").path("content").asText());
            }
            assertThat(received).hasSize(2);
            JsonNode tool = received.get(0).path("tools").get(0).path("function");
            assertThat(tool.path("name").asText()).isEqualTo("tell_story");
            assertThat(tool.path("parameters").path("required")).hasSize(1);
            assertThat(tool.path("parameters").path("required").get(0).asText()).isEqualTo("topic");
            assertThat(tool.path("parameters").path("properties").path("topic").path("type").asText()).isEqualTo("string");
            JsonNode toolMessage = received.get(1).path("messages").get(2);
            String story = toolMessage.path("content").asText();
            assertThat(toolMessage.path("role").asText()).isEqualTo("tool");
            assertThat(story).as("the local model's story").isNotBlank().doesNotStartWith("Error:");
            assertThat(answer.toString()).isEqualTo("Here is a story: " + story);

            // The same agent through the OpenAI route, answered whole.
            String openAi = ((ApiElementNode) runtime.entry()).server().url() + "/v1/chat/completions";
            HttpResponse<String> completion = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(openAi))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer AgentExample1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"agent-api\",\"messages\":[{\"role\":"
                            + "\"user\",\"content\":\"A story about a brave cat, please\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(completion.statusCode()).as(completion.body()).isEqualTo(200);
            String content = JSON.readTree(completion.body()).path("choices").path(0).path("message").path("content").asText();
            assertThat(received).hasSize(4);
            assertThat(content).isEqualTo("Here is a story: " + received.get(3).path("messages").get(2).path("content").asText());
        } finally {
            standIn.stop(0);
        }
    }

    private static void write(OutputStream out, String json) throws java.io.IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
