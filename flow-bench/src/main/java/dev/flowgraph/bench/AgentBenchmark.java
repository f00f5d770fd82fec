package dev.flowgraph.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.NodeInstance;
import dev.flowgraph.core.flow.Position;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.tool.Tool;
import dev.flowgraph.core.value.Values;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the Agent adds per step beyond the model and the tools: a run of {@code steps} tool steps and a final answer
 * against a loopback stand-in that answers at once, against the same model requests made directly with the JDK's
 * HttpClient and the same tool calls made directly, side by side in rotating rounds. The difference per step is the
 * agent's own work (building the request, reading the answer, checking the arguments, tracing).
 * Arguments: [rounds (200)] [steps (4)] [warm-up rounds (300)].
 */
public final class AgentBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else Nagle and delayed ACKs add 40 ms per answer
        HttpServer standIn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        standIn.setExecutor(Executors.newFixedThreadPool(2));
        standIn.createContext("/v1/chat/completions", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            long toolResults = 0;
            for (JsonNode m : body.path("messages")) {
                toolResults += m.path("role").asText().equals("tool") ? 1 : 0;
            }
            String message = toolResults >= steps ? "{\"role\":\"assistant\",\"content\":\"Done.\"}"
                    : "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c" + toolResults + "\",\"type\":"
                    + "\"function\",\"function\":{\"name\":\"echo\",\"arguments\":\"{\\\"text\\\":\\\"step " + toolResults
                    + "\\\"}\"}}]}";
            byte[] answer = ("{\"choices\":[{\"index\":0,\"message\":" + message + ",\"finish_reason\":\""
                    + (toolResults >= steps ? "stop" : "tool_calls") + "\"}],\"usage\":{\"prompt_tokens\":10,"
                    + "\"completion_tokens\":3}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        standIn.start();
        String base = "http://127.0.0.1:" + standIn.getAddress().getPort() + "/v1";
        List<NodeType> types = new ArrayList<>(dev.flowgraph.core.testing.TestNodes.all());
        ServiceLoader.load(NodeType.class).forEach(types::add);
        types.add(new Echo());
        FlowDocument flow = new FlowDocument(FlowDocument.FORMAT, "agent-bench", "", List.of(
                new NodeInstance("alive", "test.keepalive", new Position(0, 0), Map.of()),
                new NodeInstance("entry", "test.entry", new Position(0, 0), Map.of("label", "bench")),
                new NodeInstance("echo", Echo.TYPE, new Position(0, 0), Map.of()),
                new NodeInstance("agent", "agent", new Position(0, 0), Map.of("baseUrl", base, "model", "stand-in",
                        "stream", false, "maxSteps", steps + 1))),
                List.of(Wire.of("alive.signal", "entry.alive"), Wire.of("entry.out", "agent.chat"),
                        Wire.of("echo.tool", "agent.tools"), Wire.of("agent.text", "entry.back")));
        FlowRuntime runtime = FlowRuntime.start(flow, NodeRegistry.of(types), RuntimeOptions.inProcess(Path.of(".")));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Tool tool = new Echo.EchoTool();
        List<Double> agent = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        for (int round = 0; round < warmup + rounds; round++) {
            for (int i = 0; i < 2; i++) {
                boolean throughAgent = (round + i) % 2 == 0;
                long start = System.nanoTime();
                if (throughAgent) {
                    runAgent(runtime);
                } else {
                    runDirect(http, base, tool, steps);
                }
                double millis = (System.nanoTime() - start) / 1e6;
                if (round >= warmup) {
                    (throughAgent ? agent : direct).add(millis);
                }
            }
        }
        double a = median(agent);
        double d = median(direct);
        System.out.printf("%d rounds after %d warm-up rounds, %d tool steps and a final answer per run%n", rounds, warmup,
                steps);
        System.out.printf("agent run (median)                 %8.3f ms%n", a);
        System.out.printf("same model requests + tool calls   %8.3f ms%n", d);
        System.out.printf("agent's own work per step          %8.3f ms (%d steps)%n", (a - d) / (steps + 1), steps + 1);
        runtime.close();
        standIn.stop(0);
        System.exit(0);
    }

    private static void runAgent(FlowRuntime runtime) throws InterruptedException {
        LinkedBlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
        runtime.entry().submit(ChatRequest.ofUser("Echo four times"), packets::offer);
        while (true) {
            Packet p = packets.poll(30, TimeUnit.SECONDS);
            if (p == null || p instanceof Packet.Failure) {
                throw new IllegalStateException("agent run failed: " + p);
            }
            if (p.isTerminal()) {
                return;
            }
        }
    }

    /** The requests the agent makes, made directly, with the tool called directly in between. */
    private static void runDirect(HttpClient http, String base, Tool tool, int steps) throws Exception {
        StringBuilder messages = new StringBuilder("[{\"role\":\"user\",\"content\":\"Echo four times\"}");
        for (int step = 0; step <= steps; step++) {
            // The same request the agent sends: its messages, the tool's description and the sampling settings.
            String body = "{\"model\":\"stand-in\",\"messages\":" + messages + "],\"stream\":false,\"max_tokens\":1024,"
                    + "\"temperature\":1.0,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"echo\","
                    + "\"description\":\"Says the text back\",\"parameters\":" + tool.parameters() + "}}]}";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode call = JSON.readTree(response.body()).path("choices").path(0).path("message").path("tool_calls").path(0);
            if (call.isMissingNode()) {
                return;
            }
            String result = tool.call(JSON.readTree(call.path("function").path("arguments").asText()), null).get();
            messages.append(",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[").append(call).append("]}")
                    .append(",{\"role\":\"tool\",\"tool_call_id\":\"").append(call.path("id").asText())
                    .append("\",\"content\":").append(JSON.writeValueAsString(result)).append('}');
        }
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** An instant tool: echo(text). */
    static final class Echo implements NodeType {
        static final String TYPE = "bench.echo";

        static final class EchoTool implements Tool {
            private final JsonNode parameters = Values.parse("{\"type\":\"object\",\"properties\":{\"text\":"
                    + "{\"type\":\"string\"}},\"required\":[\"text\"]}");

            @Override
            public String name() {
                return "echo";
            }

            @Override
            public String description() {
                return "Says the text back";
            }

            @Override
            public JsonNode parameters() {
                return parameters;
            }

            @Override
            public CompletableFuture<String> call(JsonNode arguments, Run run) {
                return CompletableFuture.completedFuture("echo: " + arguments.path("text").asText());
            }
        }

        @Override
        public NodeDescriptor descriptor() {
            return NodeDescriptor.builder(TYPE, "Echo").output(PortSpec.output("tool", DataType.TOOL, "")).build();
        }

        @Override
        public NodeBehavior create(NodeContext context) {
            Tool tool = new EchoTool();
            return new NodeBehavior() {
                @Override
                public void start() {
                    context.output("tool").emit(new Packet.Delta(context.flowRun(), tool));
                }

                @Override
                public void receive(String inputPort, Packet packet) {
                }
            };
        }
    }
}
