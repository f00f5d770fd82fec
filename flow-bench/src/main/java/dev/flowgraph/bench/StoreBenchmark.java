package dev.flowgraph.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.store.Store;
import dev.flowgraph.core.testing.TestPostgres;
import dev.flowgraph.store.JdbcStore;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the store costs a served flow, side by side in rounds (each round runs every way once, in a rotating order):
 * {@code POST /prompt} with run history off ({@code --store none}), recorded in full in SQLite, and in PostgreSQL on
 * loopback; and a conversation of 50 stored turns through the Conversation memory node against the same prompt sent
 * whole by the client to the same flow without it (so the model reads the same tokens: the difference is the node's
 * hold, read and store of the turn). Every request over a kept-alive socket, read by a minimal client.
 * Arguments: [rounds (30)] [tokens (128)] [warm-up rounds (200)].
 */
public final class StoreBenchmark {
    private static final String KEY = "BenchKey1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STORED_TURNS = 50;

    record Sample(double tokensPerSecond, double firstTokenMillis) {
    }

    interface Way {
        Sample run(int request) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path root = Path.of("").toAbsolutePath();
        Path model = root.resolve("models/stories260K.gguf");
        Path dir = Files.createTempDirectory("flow-store-bench-");
        List<AutoCloseable> open = new ArrayList<>();
        TestPostgres postgres = TestPostgres.start();
        open.add(postgres);
        Store sqlite = JdbcStore.open("jdbc:sqlite:" + dir.resolve("bench.db"));
        Store pg = JdbcStore.open(postgres.url());
        open.add(sqlite);
        open.add(pg);

        FlowDocument story = FlowFiles.load(root.resolve("examples/story-api.flow.json"));
        FlowDocument memory = FlowFiles.load(root.resolve("examples/chat-memory-api.flow.json"))
                .withSetting("memory", "maxTokens", 0);
        Map<String, Way> ways = new LinkedHashMap<>();
        Map<String, RawHttpClient> clients = new LinkedHashMap<>();
        for (var e : Map.of("none", Store.NONE, "sqlite", sqlite, "postgres", pg).entrySet()) {
            clients.put(e.getKey(), client(start(story, e.getValue(), model, tokens, root, open)));
        }
        RawHttpClient withMemory = client(start(memory, sqlite, model, tokens, root, open));
        List<ChatMessage> stored = new ArrayList<>();
        for (int t = 0; t < STORED_TURNS; t++) {
            stored.add(ChatMessage.user("Once upon a time, turn " + t));
            stored.add(ChatMessage.assistant("There was a little girl named Lily. She liked to play, turn " + t + "."));
        }
        // One session per request, each with the same 50 turns: every request's prompt is the same.
        for (int i = 0; i < warmup + rounds; i++) {
            sqlite.conversations().append("chat-memory-api", "bench-" + i, stored).get(30, TimeUnit.SECONDS);
        }
        List<ChatMessage> window = stored.subList(stored.size() - 20, stored.size()); // maxMessages 20
        // Each request starts with a system message of its own, so llama.cpp's prompt cache helps none of them (it
        // would help whichever way happened to follow a request with the same prompt).
        java.util.concurrent.atomic.AtomicInteger unique = new java.util.concurrent.atomic.AtomicInteger();
        ways.put("/prompt, --store none", i -> sample(clients.get("none"), body(unique.incrementAndGet(), List.of(), null), tokens));
        ways.put("/prompt, SQLite full", i -> sample(clients.get("sqlite"), body(unique.incrementAndGet(), List.of(), null), tokens));
        ways.put("/prompt, PostgreSQL full", i -> sample(clients.get("postgres"), body(unique.incrementAndGet(), List.of(), null), tokens));
        ways.put("20 messages sent whole", i -> sample(clients.get("sqlite"), body(unique.incrementAndGet(), window, null), tokens));
        ways.put("memory, 50 turns stored", i -> sample(withMemory, body(unique.incrementAndGet(), List.of(), "bench-" + i), tokens));

        List<String> names = new ArrayList<>(ways.keySet());
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        names.forEach(n -> samples.put(n, new ArrayList<>()));
        int request = 0;
        for (int warm = 0; warm < warmup; warm++, request++) {
            for (Way w : ways.values()) {
                w.run(request);
            }
        }
        for (int round = 0; round < rounds; round++, request++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((round + i) % names.size());
                samples.get(name).add(ways.get(name).run(request));
            }
        }
        System.out.printf("%d rounds after %d warm-up rounds, %d tokens each, model %s%n", rounds, warmup, tokens,
                model.getFileName());
        System.out.printf("%-26s %14s %10s %18s %14s%n", "way", "tokens/s (med)", "ratio", "first token (med)", "difference");
        compare(samples, names.get(0), names.subList(0, 3));
        compare(samples, names.get(3), names.subList(3, 5));
        for (AutoCloseable c : reversed(open)) {
            c.close();
        }
        System.exit(0);
    }

    private static void compare(Map<String, List<Sample>> samples, String base, List<String> names) {
        double baseTps = median(samples.get(base), Sample::tokensPerSecond);
        double baseTtft = median(samples.get(base), Sample::firstTokenMillis);
        for (String name : names) {
            double tps = median(samples.get(name), Sample::tokensPerSecond);
            double ttft = median(samples.get(name), Sample::firstTokenMillis);
            System.out.printf("%-26s %14.0f %9.3fx %15.3f ms %+11.3f ms%n", name, tps, tps / baseTps, ttft, ttft - baseTtft);
        }
    }

    private static List<AutoCloseable> reversed(List<AutoCloseable> list) {
        List<AutoCloseable> r = new ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }

    private static String body(int request, List<ChatMessage> before, String session) {
        ObjectNode body = JSON.createObjectNode();
        if (session != null) {
            body.put("session_id", session);
        }
        ArrayNode messages = body.putArray("message");
        messages.addObject().put("role", "system").put("content", "Request " + request + ".");
        before.forEach(m -> messages.addObject().put("role", m.role().wireName()).put("content", m.content()));
        messages.addObject().put("role", "user").put("content", "Once upon a time,");
        return body.toString();
    }

    private static FlowRuntime start(FlowDocument flow, Store store, Path model, int tokens, Path root,
                                     List<AutoCloseable> open) throws Exception {
        FlowRuntime runtime = FlowRuntime.start(flow.withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                        .withSetting("api", "warmupSeconds", 0.0)
                        .withSetting("llm", "modelPath", model.toString()).withSetting("llm", "threads", 1)
                        .withSetting("llm", "maxTokens", tokens).withSetting("llm", "ignoreEos", true)
                        .withSetting("llm", "seed", 7),
                NodeRegistry.discover(), RuntimeOptions.serving(root).withEnvironment(Map.of("FLOW_API_KEY", KEY)::get)
                        .withStore(store));
        open.add(runtime);
        return runtime;
    }

    private static RawHttpClient client(FlowRuntime runtime) throws java.io.IOException {
        URI uri = URI.create(((ApiElementNode) runtime.entry()).server().url());
        return new RawHttpClient(uri.getHost(), uri.getPort());
    }

    private static Sample sample(RawHttpClient client, String body, int tokens) throws Exception {
        long start = System.nanoTime();
        RawHttpClient.Timing t = client.postStream("/prompt", KEY, body);
        return new Sample(tokens / ((t.lastEventNanos() - start) / 1e9), (t.firstEventNanos() - start) / 1e6);
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        double[] v = samples.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
