package dev.flowgraph.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.store.JdbcStore;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The other dialects against {@code /prompt} on the same served flow, side by side in rotating rounds: tokens per
 * second of a streamed {@code /prompt}, a streamed LocalLab {@code /generate}, and an MCP tool call over Streamable
 * HTTP, both with the same thin socket client and with the official Java SDK's client; then, with the embedded SQLite store, a job's time from its submission to
 * the first text in its log, and the time {@code GET /remotejobs/v2/jobs/{id}} takes while 4 jobs run.
 * Arguments: [rounds (30)] [tokens (128)] [warm-up rounds (100)].
 */
public final class DialectsBenchmark {
    private static final String KEY = "DialectKey1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path root = Path.of("").toAbsolutePath();
        Path dir = Files.createTempDirectory("flowgraph-dialects");
        FlowDocument flow = FlowFiles.load(root.resolve("examples/story-api.flow.json"))
                .withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                .withSetting("api", "concurrency", 4)
                .withSetting("llm", "modelPath", root.resolve("models/stories260K.gguf").toString())
                .withSetting("llm", "threads", 1).withSetting("llm", "maxTokens", tokens)
                .withSetting("llm", "ignoreEos", true).withSetting("llm", "seed", 7);
        Store store = JdbcStore.open("jdbc:sqlite:" + dir.resolve("store.db"));
        try (FlowRuntime runtime = FlowRuntime.start(flow, NodeRegistry.discover(), RuntimeOptions.serving(root)
                .withStore(store).withEnvironment(Map.of("FLOW_API_KEY", KEY)::get))) {
            String url = ((ApiElementNode) runtime.entry()).server().url();
            URI uri = URI.create(url);
            RawHttpClient socket = new RawHttpClient(uri.getHost(), uri.getPort());
            McpSyncClient mcp = McpClient.sync(HttpClientStreamableHttpTransport.builder(url).endpoint("/mcp")
                    .httpRequestCustomizer((b, method, endpoint, body, context) -> b.header("X-API-Key", KEY)).build())
                    .build();
            mcp.initialize();
            String prompt = "{\"message\":[{\"role\":\"user\",\"content\":\"Once upon a time,\"}]}";
            String generate = "{\"prompt\":\"Once upon a time,\",\"stream\":true}";
            Map<String, Way> ways = new LinkedHashMap<>();
            ways.put("/prompt (stream)", () -> streamed(socket, "/prompt", prompt, tokens));
            ways.put("LocalLab /generate (stream)", () -> streamed(socket, "/generate", generate, tokens));
            String session = mcpSession(url);
            String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"story-api\","
                    + "\"arguments\":{\"prompt\":\"Once upon a time,\"}}}";
            String mcpHeaders = "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " + session + "\r\n";
            ways.put("MCP tool call (socket)", () -> {
                long start = System.nanoTime();
                RawHttpClient.Timing t = socket.postStream("/mcp", KEY, call, mcpHeaders);
                return tokens / ((t.lastEventNanos() - start) / 1e9);
            });
            ways.put("MCP tool call (Java SDK)", () -> {
                long start = System.nanoTime();
                McpSchema.CallToolResult r = mcp.callTool(new McpSchema.CallToolRequest("story-api",
                        Map.of("prompt", "Once upon a time,")));
                if (Boolean.TRUE.equals(r.isError())) {
                    throw new IllegalStateException(String.valueOf(r.content()));
                }
                return tokens / ((System.nanoTime() - start) / 1e9);
            });
            Map<String, List<Double>> results = new LinkedHashMap<>();
            ways.keySet().forEach(k -> results.put(k, new ArrayList<>()));
            List<String> names = new ArrayList<>(ways.keySet());
            for (int round = 0; round < warmup + rounds; round++) {
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get((round + i) % names.size());
                    double tps = ways.get(name).tokensPerSecond();
                    if (round >= warmup) {
                        results.get(name).add(tps);
                    }
                }
            }
            double base = median(results.get(names.get(0)));
            System.out.printf("%d rounds after %d warm-up rounds, %d tokens, 1 thread, test model%n", rounds, warmup, tokens);
            for (String name : names) {
                double m = median(results.get(name));
                System.out.printf("%-30s %8.0f tokens/s  %.3fx%n", name, m, m / base);
            }
            mcp.closeGracefully();
            jobs(url, rounds);
        } finally {
            store.close();
        }
        System.exit(0);
    }

    /** Opens an MCP session on {@code /mcp} as a client does (initialize, then initialized); its id. */
    private static String mcpSession(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> init = http.send(HttpRequest.newBuilder(URI.create(url + "/mcp"))
                .header("X-API-Key", KEY).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
                        + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":"
                        + "{\"name\":\"bench\",\"version\":\"1\"}}}")).build(), HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(HttpRequest.newBuilder(URI.create(url + "/mcp")).header("X-API-Key", KEY)
                .header("Content-Type", "application/json").header("Mcp-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return session;
    }

    interface Way {
        double tokensPerSecond() throws Exception;
    }

    private static double streamed(RawHttpClient socket, String path, String body, int tokens) throws Exception {
        long start = System.nanoTime();
        RawHttpClient.Timing t = socket.postStream(path, KEY, body);
        if (t.events() < tokens / 2) {
            throw new IllegalStateException(path + " streamed " + t.events() + " events");
        }
        return tokens / ((t.lastEventNanos() - start) / 1e9);
    }

    /** A job's submission to its first log text, on an idle instance; then polls while 4 jobs run. */
    private static void jobs(String url, int rounds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Double> firstText = new ArrayList<>();
        for (int i = 0; i < rounds + 10; i++) {
            long start = System.nanoTime();
            String id = submit(http, url, 1).get(0);
            while (poll(http, url, id).path("states").path("default").path("log").asText().isEmpty()) {
                Thread.onSpinWait();
            }
            double millis = (System.nanoTime() - start) / 1e6;
            if (i >= 10) {
                firstText.add(millis);
            }
            while (!poll(http, url, id).path("vmStatus").asText().equals("done")) {
                Thread.sleep(1);
            }
        }
        List<Double> polls = new ArrayList<>();
        List<String> ids = submit(http, url, 40);
        for (String id : ids) {
            JsonNode job;
            do {
                long start = System.nanoTime();
                job = poll(http, url, id);
                polls.add((System.nanoTime() - start) / 1e6);
            } while (!job.path("vmStatus").asText().equals("done"));
        }
        System.out.printf("job: submit → first log text, median %.2f ms (%d jobs, idle instance, SQLite)%n",
                median(firstText), firstText.size());
        System.out.printf("job poll while jobs run (concurrency 4): median %.2f ms over %d polls%n", median(polls),
                polls.size());
    }

    private static List<String> submit(HttpClient http, String url, int count) throws Exception {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inputs.add("Once upon a time,");
        }
        String body = JSON.writeValueAsString(Map.of("app", "gridrepublic:text-inference", "tag", "story-api",
                "commandLine", JSON.writeValueAsString(Map.of("inputs", inputs))));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/remotejobs/v2/jobs"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        List<String> ids = new ArrayList<>();
        JSON.readTree(r.body()).path("ids").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private static JsonNode poll(HttpClient http, String url, String id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/remotejobs/v2/jobs/" + id))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("jobs").path(id);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
