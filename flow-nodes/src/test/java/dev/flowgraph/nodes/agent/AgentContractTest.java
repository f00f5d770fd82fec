package dev.flowgraph.nodes.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestFlows;
import dev.flowgraph.core.testing.TestNodes;
import dev.flowgraph.nodes.remote.LoopbackService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.flowgraph.nodes.remote.RemoteFlows.ask;
import static dev.flowgraph.nodes.remote.RemoteFlows.end;
import static dev.flowgraph.nodes.remote.RemoteFlows.failure;
import static dev.flowgraph.nodes.remote.RemoteFlows.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Agent against a loopback stand-in that speaks OpenAI's chat completions with tools: what the stand-in receives
 * after each step (the documented assistant/tool message shape) and what the agent makes of each kind of answer.
 */
class AgentContractTest {
    private final LoopbackService service = new LoopbackService();

    AgentContractTest() throws java.io.IOException {
    }

    @AfterEach
    void stop() {
        service.close();
    }

    /** The stand-in: answers tool calls while {@code calls} gives some for the request's messages, else {@code final}. */
    private void model(Function<JsonNode, List<String[]>> calls, String finalText) {
        service.serve("/v1/chat/completions", exchange -> {
            JsonNode body = service.last().body();
            List<String[]> asked = calls.apply(body.path("messages"));
            boolean stream = body.path("stream").asBoolean();
            if (stream) {
                OutputStream out = LoopbackService.startStream(exchange);
                if (asked.isEmpty()) {
                    for (String piece : finalText.split("(?<= )")) {
                        LoopbackService.write(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                                + quote(piece) + "},\"finish_reason\":null}]}\n\n");
                    }
                    LoopbackService.write(out, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
                } else {
                    for (int i = 0; i < asked.size(); i++) {
                        String[] c = asked.get(i);
                        // id and name first, the arguments in two pieces, as OpenAI streams them
                        LoopbackService.write(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + i
                                + ",\"id\":\"" + c[0] + "\",\"type\":\"function\",\"function\":{\"name\":\"" + c[1]
                                + "\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n");
                        int half = c[2].length() / 2;
                        for (String part : List.of(c[2].substring(0, half), c[2].substring(half))) {
                            LoopbackService.write(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":"
                                    + i + ",\"function\":{\"arguments\":" + quote(part) + "}}]},\"finish_reason\":null}]}\n\n");
                        }
                    }
                    LoopbackService.write(out, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n");
                }
                LoopbackService.write(out, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4}}\n\n");
                LoopbackService.write(out, "data: [DONE]\n\n");
                out.close();
                return;
            }
            StringBuilder message = new StringBuilder("{\"role\":\"assistant\",");
            if (asked.isEmpty()) {
                message.append("\"content\":").append(quote(finalText)).append('}');
            } else {
                message.append("\"content\":null,\"tool_calls\":[");
                for (int i = 0; i < asked.size(); i++) {
                    String[] c = asked.get(i);
                    message.append(i == 0 ? "" : ",").append("{\"id\":\"").append(c[0]).append("\",\"type\":\"function\","
                            + "\"function\":{\"name\":\"").append(c[1]).append("\",\"arguments\":").append(quote(c[2])).append("}}");
                }
                message.append("]}");
            }
            LoopbackService.json(exchange, 200, "{\"choices\":[{\"index\":0,\"message\":" + message + ",\"finish_reason\":\""
                    + (asked.isEmpty() ? "stop" : "tool_calls") + "\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4}}");
        });
    }

    private static String quote(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }

    /** Tool calls until the conversation holds a tool result, then none. */
    private static Function<JsonNode, List<String[]>> untilAnswered(String[]... calls) {
        return messages -> lastRole(messages).equals("tool") ? List.of() : List.of(calls);
    }

    private static String lastRole(JsonNode messages) {
        return messages.get(messages.size() - 1).path("role").asText();
    }

    private FlowRuntime agent(Map<String, Object> settings, Map<String, Map<String, Object>> tools) throws Exception {
        return agent(settings, tools, EchoTool.TYPE);
    }

    /** The agent with one tool node of {@code toolType} per entry of {@code tools}, each wired to its tools input. */
    private FlowRuntime agent(Map<String, Object> settings, Map<String, Map<String, Object>> tools, String toolType)
            throws Exception {
        Map<String, Object> s = new HashMap<>(Map.of("baseUrl", service.url("/v1"), "model", "stand-in", "apiKey", "AgentKey7"));
        s.putAll(settings);
        List<NodeInstance> nodes = new ArrayList<>(List.of(TestFlows.node("alive", "test.keepalive", Map.of()),
                TestFlows.node("entry", "test.entry", Map.of("label", "agent")), TestFlows.node("agent", Agent.TYPE, s)));
        List<Wire> wires = new ArrayList<>(List.of(Wire.of("alive.signal", "entry.alive"), Wire.of("entry.out", "agent.chat"),
                Wire.of("agent.text", "entry.back")));
        tools.forEach((id, toolSettings) -> {
            nodes.add(TestFlows.node(id, toolType, toolSettings));
            String output = toolType.equals(dev.flowgraph.nodes.mcp.McpTools.TYPE) ? "tools" : "tool";
            wires.add(Wire.of(id + "." + output, "agent.tools"));
        });
        List<NodeType> types = new ArrayList<>(TestNodes.all());
        types.add(new Agent());
        types.add(new EchoTool());
        types.add(new dev.flowgraph.nodes.http.HttpTool());
        types.add(new dev.flowgraph.nodes.mcp.McpTools());
        return FlowRuntime.start(new FlowDocument(FlowDocument.FORMAT, "agent", "", nodes, wires), NodeRegistry.of(types),
                RuntimeOptions.inProcess(Path.of(".")));
    }

    @Test
    void oneStreamedToolCallRunsAndItsResultGoesBackInTheDocumentedShape() throws Exception {
        model(untilAnswered(new String[]{"call_1", "echo", "{\"text\":\"hello\"}"}), "It said hello back.");
        try (FlowRuntime runtime = agent(Map.of(), Map.of("echo", Map.of()))) {
            List<Packet> packets = ask(runtime, "Say hello with the tool");
            assertThat(text(packets)).isEqualTo("It said hello back.");
            assertThat(end(packets).usage().completionTokens()).as("usage of both steps").isEqualTo(8);
            JsonNode first = service.received().get(0).body();
            assertThat(first.path("tools").get(0).path("function").path("name").asText()).isEqualTo("echo");
            assertThat(first.path("tools").get(0).path("function").path("parameters").path("required").get(0).asText())
                    .isEqualTo("text");
            JsonNode messages = service.received().get(1).body().path("messages");
            assertThat(messages).hasSize(3);
            assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
            assertThat(messages.get(1).path("tool_calls").get(0).path("id").asText()).isEqualTo("call_1");
            assertThat(messages.get(1).path("tool_calls").get(0).path("function").path("arguments").asText())
                    .isEqualTo("{\"text\":\"hello\"}");
            assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
            assertThat(messages.get(2).path("tool_call_id").asText()).isEqualTo("call_1");
            assertThat(messages.get(2).path("content").asText()).isEqualTo("echo: hello");
            assertThat(service.received().get(1).authorization()).isEqualTo("Bearer AgentKey7");
            var notes = packets.get(0).run().trace().node("agent").orElseThrow().notes();
            assertThat(notes).containsKeys("step 1", "step 1 call 1", "step 2");
            assertThat(notes.get("step 1 call 1")).startsWith("echo({\"text\":\"hello\"}) → 11 chars");
            assertThat(notes.toString()).doesNotContain("AgentKey7");
        }
    }

    @Test
    void anHttpToolFillsItsTemplateWithTheModelsArguments() throws Exception {
        service.serve("/weather", exchange -> LoopbackService.send(exchange, 200, "text/plain",
                "sunny in " + exchange.getRequestURI().getQuery() + " for " + exchange.getRequestHeaders().getFirst("X-Key")));
        model(untilAnswered(new String[]{"w", "weather", "{\"city\":\"Le Mans\"}"}), "It is sunny.");
        try (FlowRuntime runtime = agent(Map.of("stream", false), Map.of("weather", Map.of("name", "weather",
                "url", service.url("/weather") + "?city={{city}}", "headers", List.of("X-Key: WeatherKey12"),
                "description", "The weather in a city")), dev.flowgraph.nodes.http.HttpTool.TYPE)) {
            assertThat(text(ask(runtime, "Weather in Le Mans?"))).isEqualTo("It is sunny.");
            JsonNode tool = service.received().get(0).body().path("tools").get(0).path("function");
            assertThat(tool.path("parameters").path("required").get(0).asText()).isEqualTo("city");
            JsonNode messages = service.received().get(2).body().path("messages");
            assertThat(messages.get(2).path("content").asText()).isEqualTo("sunny in city=Le Mans for WeatherKey12");
        }
    }

    /** The test MCP server (src/test/mcp, the official TypeScript SDK), its npm package installed on first use. */
    private static Path mcpServer() throws Exception {
        Path dir = dev.flowgraph.core.testing.TestModels.projectRoot().resolve("flow-nodes/src/test/mcp");
        if (!java.nio.file.Files.isDirectory(dir.resolve("node_modules/@modelcontextprotocol/sdk"))) {
            Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(install.getInputStream().readAllBytes());
            assertThat(install.waitFor()).as("npm install in " + dir + " (Node and npm are needed): " + out).isZero();
        }
        return dir.resolve("server.mjs");
    }

    private void mcpModel() {
        model(untilAnswered(new String[]{"a", "add", "{\"a\":2,\"b\":3}"}, new String[]{"s", "shout", "{\"text\":\"hi\"}"}),
                "2 + 3 = 5, and HI.");
    }

    private void assertMcpResults(FlowRuntime runtime) throws Exception {
        assertThat(text(ask(runtime, "Add and shout"))).isEqualTo("2 + 3 = 5, and HI.");
        JsonNode tools = service.received().get(0).body().path("tools");
        assertThat(tools.findValuesAsText("name")).containsExactlyInAnyOrder("add", "shout");
        JsonNode add = tools.get(tools.get(0).path("function").path("name").asText().equals("add") ? 0 : 1).path("function");
        assertThat(add.path("description").asText()).isEqualTo("Adds two numbers");
        assertThat(add.path("parameters").path("properties").path("a").path("type").asText()).isEqualTo("number");
        JsonNode messages = service.received().get(1).body().path("messages");
        assertThat(messages.get(2).path("content").asText()).isEqualTo("5");
        assertThat(messages.get(3).path("content").asText()).isEqualTo("HI");
    }

    @Test
    void theToolsOfAnMcpServerOverStdioAreCalled() throws Exception {
        Path server = mcpServer();
        mcpModel();
        try (FlowRuntime runtime = agent(Map.of("stream", false), Map.of("mcp", Map.of("command", "node",
                "args", List.of(server.toString()))), dev.flowgraph.nodes.mcp.McpTools.TYPE)) {
            assertMcpResults(runtime);
        }
    }

    @Test
    void theToolsOfAnMcpServerOverStreamableHttpAreCalled() throws Exception {
        Path server = mcpServer();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process node = new ProcessBuilder("node", server.toString(), "--http", String.valueOf(port))
                .redirectErrorStream(true).start();
        try {
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(node.getInputStream())).readLine();
            assertThat(first).isEqualTo("listening on " + port);
            mcpModel();
            try (FlowRuntime runtime = agent(Map.of("stream", false), Map.of("mcp", Map.of(
                    "url", "http://127.0.0.1:" + port + "/mcp")), dev.flowgraph.nodes.mcp.McpTools.TYPE)) {
                assertMcpResults(runtime);
            }
        } finally {
            node.destroy();
        }
    }

    @Test
    void aLocalModelHeldToTheToolsGrammarCallsAnExistingToolWithValidArguments() throws Exception {
        try (FlowRuntime runtime = agent(Map.of("provider", "local", "modelPath",
                // Sampled: the schema's maxLength (60) bounds the text, so the call always closes within 160 tokens.
                dev.flowgraph.core.testing.TestModels.stories().toString(), "threads", 1, "maxTokens", 160,
                "toolChoice", "required", "maxSteps", 3, "temperature", 0.8), Map.of("echo", Map.of()))) {
            List<Packet> packets = ask(runtime, "Say hello with the echo tool");
            var notes = packets.get(0).run().trace().node("agent").orElseThrow().notes();
            // The grammar admits only {"tool": "echo", "arguments": {"text": "..."}} or an answer: the call is valid.
            assertThat(notes.get("step 1 call 1")).as(notes.toString()).startsWith("echo({\"text\":")
                    .contains("→ ").doesNotContain("error");
            assertThat(notes.get("step 1")).contains("prompt tokens, 1 tool call(s)");
            Packet last = packets.get(packets.size() - 1);
            assertThat(last instanceof Packet.End || last instanceof Packet.Failure f
                    && f.message().equals("the agent reached maxSteps (3) without a final answer")).as(last.toString()).isTrue();
            assertThat(service.received()).as("no service is called").isEmpty();
        }
    }

    @Test
    void cancellingTheRunStopsItsToolCallsAtOnce() throws Exception {
        model(untilAnswered(new String[]{"s", "slow", "{\"text\":\"x\"}"}), "never");
        try (FlowRuntime runtime = agent(Map.of("stream", false, "toolTimeoutSeconds", 30),
                Map.of("slow", Map.of("name", "slow", "delayMillis", 20_000)))) {
            var answer = dev.flowgraph.nodes.remote.RemoteFlows.submit(runtime,
                    dev.flowgraph.core.chat.ChatRequest.ofUser("Slowly"));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (answer.run().trace().node("agent").map(t -> !t.notes().containsKey("step 1")).orElse(true)
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200); // the slow call is running now
            long cancelled = System.nanoTime();
            answer.run().cancel("the client left");
            answer.await();
            assertThat((System.nanoTime() - cancelled) / 1_000_000).as("ms from cancel to the run's end").isLessThan(2_000);
            assertThat(answer.run().trace().node("agent").orElseThrow().notes().get("step 1 call 1"))
                    .contains("cancelled: the client left");
            assertThat(service.received()).as("no step after the cancel").hasSize(1);
        }
    }

    @Test
    void twoCallsInOneStepRunAtTheSameTime() throws Exception {
        model(untilAnswered(new String[]{"a", "slow1", "{\"text\":\"one\"}"}, new String[]{"b", "slow2", "{\"text\":\"two\"}"}),
                "Both done.");
        try (FlowRuntime runtime = agent(Map.of("stream", false), Map.of(
                "slow1", Map.of("name", "slow1", "delayMillis", 600), "slow2", Map.of("name", "slow2", "delayMillis", 600)))) {
            long started = System.nanoTime();
            assertThat(text(ask(runtime, "Both please"))).isEqualTo("Both done.");
            assertThat((System.nanoTime() - started) / 1_000_000).as("two 600 ms calls side by side").isLessThan(1_100);
            JsonNode messages = service.received().get(1).body().path("messages");
            assertThat(messages.get(2).path("content").asText()).isEqualTo("echo: one");
            assertThat(messages.get(3).path("content").asText()).isEqualTo("echo: two");
        }
    }

    @Test
    void failedCallsTellTheModelWhatWentWrong() throws Exception {
        model(untilAnswered(new String[]{"u", "nope", "{}"}, new String[]{"m", "echo", "{\"text\":5}"},
                new String[]{"t", "slow", "{\"text\":\"x\"}"}, new String[]{"f", "broken", "{\"text\":\"x\"}"}), "Recovered.");
        try (FlowRuntime runtime = agent(Map.of("stream", false, "toolTimeoutSeconds", 1), Map.of(
                "echo", Map.of(), "slow", Map.of("name", "slow", "delayMillis", 3_000),
                "broken", Map.of("name", "broken", "fail", true)))) {
            assertThat(text(ask(runtime, "Try everything"))).isEqualTo("Recovered.");
            JsonNode messages = service.received().get(1).body().path("messages");
            assertThat(messages.get(2).path("content").asText()).startsWith("Error: there is no tool 'nope'");
            assertThat(messages.get(3).path("content").asText())
                    .startsWith("Error: the arguments of 'echo' do not match its schema at #/properties/text/type");
            assertThat(messages.get(4).path("content").asText()).isEqualTo("Error: the tool 'slow' took longer than 1 s");
            assertThat(messages.get(5).path("content").asText()).isEqualTo("Error: the tool 'broken' failed: the echo broke");
        }
    }

    @Test
    void aFailedCallFailsTheRunWhenSetSo() throws Exception {
        model(untilAnswered(new String[]{"u", "nope", "{}"}), "never");
        try (FlowRuntime runtime = agent(Map.of("stream", false, "toolErrors", "fail_run"), Map.of("echo", Map.of()))) {
            assertThat(failure(ask(runtime, "Go")).message()).startsWith("there is no tool 'nope'");
        }
    }

    @Test
    void maxStepsEndsAnAgentThatNeverAnswers() throws Exception {
        model(messages -> List.<String[]>of(new String[]{"c" + messages.size(), "echo", "{\"text\":\"again\"}"}), "never");
        try (FlowRuntime runtime = agent(Map.of("stream", false, "maxSteps", 3), Map.of("echo", Map.of()))) {
            assertThat(failure(ask(runtime, "Loop")).message())
                    .isEqualTo("the agent reached maxSteps (3) without a final answer");
            assertThat(service.received()).hasSize(3);
        }
    }
}
