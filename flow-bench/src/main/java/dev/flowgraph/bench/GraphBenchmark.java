package dev.flowgraph.bench;

import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowInterface;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the graph language costs, measured side by side in one run:
 * <ol>
 *   <li>{@code router-api} (Switch → Local LLM → Template → Merge) against {@code story-api}, the same model and
 *   settings, served at once and called in rotating rounds over loopback by a thin socket client: tokens/s and time to
 *   first token;</li>
 *   <li>a sub-flow call: a trivial flow called directly, and the same flow inside a Sub-flow node (median per call);</li>
 *   <li>For each over 1,000 items through that trivial sub-flow (per item).</li>
 * </ol>
 * Arguments: [rounds (30)] [tokens (128)] [warm-up rounds (200)] [calls (2000)].
 */
public final class GraphBenchmark {
    private static final String KEY = "BenchKey1";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int calls = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        Path root = Path.of("").toAbsolutePath();
        routerAgainstStory(root, rounds, tokens, warmup);
        subFlowCalls(calls);
        System.exit(0);
    }

    private static void routerAgainstStory(Path root, int rounds, int tokens, int warmup) throws Exception {
        String model = root.resolve("models/stories260K.gguf").toString();
        FlowDocument story = FlowFiles.load(root.resolve("examples/story-api.flow.json"));
        story = serveOnAnyPort(story).withSetting("llm", "modelPath", model).withSetting("llm", "threads", 1)
                .withSetting("llm", "maxTokens", tokens).withSetting("llm", "ignoreEos", true).withSetting("llm", "seed", 7);
        FlowDocument router = serveOnAnyPort(FlowFiles.load(root.resolve("examples/router-api.flow.json")));
        for (String llm : List.of("question_llm", "story_llm")) {
            router = router.withSetting(llm, "modelPath", model).withSetting(llm, "threads", 1)
                    .withSetting(llm, "maxTokens", tokens).withSetting(llm, "ignoreEos", true).withSetting(llm, "seed", 7);
        }
        RuntimeOptions options = RuntimeOptions.serving(root.resolve("examples"))
                .withEnvironment(Map.of("FLOW_API_KEY", KEY)::get);
        try (FlowRuntime storyFlow = FlowRuntime.start(story, NodeRegistry.discover(), options);
             FlowRuntime routerFlow = FlowRuntime.start(router, NodeRegistry.discover(), options)) {
            String body = "{\"message\":[{\"role\":\"user\",\"content\":\"Once upon a time,\"}]}";
            RawHttpClient[] clients = {client(storyFlow), client(routerFlow)};
            String[] names = {"story-api", "router-api"};
            List<List<double[]>> samples = List.of(new ArrayList<>(), new ArrayList<>());
            for (int round = -warmup; round < rounds; round++) {
                for (int i = 0; i < 2; i++) {
                    int way = (Math.floorMod(round, 2) + i) % 2;
                    long start = System.nanoTime();
                    RawHttpClient.Timing t = clients[way].postStream("/prompt", KEY, body);
                    if (round >= 0) {
                        samples.get(way).add(new double[]{tokens / ((t.lastEventNanos() - start) / 1e9),
                                (t.firstContentNanos() - start) / 1e6});
                    }
                }
            }
            System.out.printf("router-api vs story-api: %d rounds after %d warm-up rounds, %d tokens, 1 thread%n",
                    rounds, warmup, tokens);
            double baseTps = median(samples.get(0), 0);
            double baseTtft = median(samples.get(0), 1);
            for (int way = 0; way < 2; way++) {
                double tps = median(samples.get(way), 0);
                double ttft = median(samples.get(way), 1);
                System.out.printf("  %-11s %8.0f tokens/s (%.3fx)   first token %.3f ms (%+.3f ms)%n", names[way], tps,
                        tps / baseTps, ttft, ttft - baseTtft);
            }
        }
    }

    private static FlowDocument serveOnAnyPort(FlowDocument flow) {
        return flow.withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                .withSetting("api", "warmupSeconds", 0);
    }

    private static RawHttpClient client(FlowRuntime runtime) throws Exception {
        URI uri = URI.create(((ApiElementNode) runtime.entry()).server().url());
        return new RawHttpClient(uri.getHost(), uri.getPort());
    }

    /** A trivial flow called directly, the same flow as a Sub-flow, and For each over 1,000 items of it. */
    private static void subFlowCalls(int calls) throws Exception {
        Path dir = Files.createTempDirectory("graph-bench");
        Files.writeString(dir.resolve("echo.flow.json"), """
                {"format": 1, "name": "echo", "nodes": [
                  {"id": "in", "type": "flow.input", "settings": {}},
                  {"id": "t", "type": "text.template", "settings": {"template": "{{x}}!"}},
                  {"id": "out", "type": "flow.output", "settings": {}}],
                 "wires": [{"from": "in.value", "to": "t.x"}, {"from": "t.out", "to": "out.value"}]}""");
        Files.writeString(dir.resolve("outer.flow.json"), """
                {"format": 1, "name": "outer", "nodes": [
                  {"id": "in", "type": "flow.input", "settings": {}},
                  {"id": "sub", "type": "flow.subflow", "settings": {"flow": "echo.flow.json"}},
                  {"id": "out", "type": "flow.output", "settings": {}}],
                 "wires": [{"from": "in.value", "to": "sub.input"}, {"from": "sub.output", "to": "out.value"}]}""");
        Files.writeString(dir.resolve("each.flow.json"), """
                {"format": 1, "name": "each", "nodes": [
                  {"id": "in", "type": "flow.input", "settings": {"dataType": "json"}},
                  {"id": "each", "type": "flow.foreach", "settings": {"flow": "echo.flow.json", "concurrency": 4}},
                  {"id": "out", "type": "flow.output", "settings": {"dataType": "json"}}],
                 "wires": [{"from": "in.value", "to": "each.items"}, {"from": "each.results", "to": "out.value"}]}""");
        try (FlowRuntime echo = start(dir.resolve("echo.flow.json"));
             FlowRuntime outer = start(dir.resolve("outer.flow.json"));
             FlowRuntime each = start(dir.resolve("each.flow.json"))) {
            List<double[]> times = new ArrayList<>();
            for (int i = -calls / 2; i < calls; i++) {
                long a = System.nanoTime();
                call(echo, "x");
                long b = System.nanoTime();
                call(outer, "x");
                long c = System.nanoTime();
                if (i >= 0) {
                    times.add(new double[]{(b - a) / 1e6, (c - b) / 1e6});
                }
            }
            double direct = median(times, 0);
            double nested = median(times, 1);
            System.out.printf("sub-flow call: %d calls, direct %.3f ms, through a Sub-flow node %.3f ms: overhead %.3f ms%n",
                    calls, direct, nested, nested - direct);

            StringBuilder items = new StringBuilder("[");
            for (int i = 0; i < 1000; i++) {
                items.append(i == 0 ? "" : ",").append("\"item ").append(i).append('"');
            }
            Object list = dev.flowgraph.core.value.Values.parse(items + "]");
            List<double[]> perItem = new ArrayList<>();
            for (int round = -5; round < 15; round++) {
                long start = System.nanoTime();
                call(each, list);
                if (round >= 0) {
                    perItem.add(new double[]{(System.nanoTime() - start) / 1e6 / 1000});
                }
            }
            System.out.printf("For each, 1,000 items through it (concurrency 4): %.4f ms per item (median of 15)%n",
                    median(perItem, 0));
        }
    }

    private static FlowRuntime start(Path file) throws Exception {
        return FlowRuntime.start(FlowFiles.load(file), NodeRegistry.discover(),
                RuntimeOptions.inProcess(file.getParent()).forSubFlow(file));
    }

    private static final Map<FlowRuntime, Map<Run, CompletableFuture<Packet>>> PENDING = new java.util.concurrent.ConcurrentHashMap<>();

    /** One run through a flow's only input and output, waiting for its end. */
    private static void call(FlowRuntime flow, Object value) throws Exception {
        Map<Run, CompletableFuture<Packet>> pending = PENDING.computeIfAbsent(flow, f -> {
            Map<Run, CompletableFuture<Packet>> map = new java.util.concurrent.ConcurrentHashMap<>();
            f.flowOutputs().get(0).sendTo(p -> {
                if (p.isTerminal()) {
                    map.remove(p.run()).complete(p);
                }
            });
            return map;
        });
        Run run = flow.startRun(null);
        CompletableFuture<Packet> end = new CompletableFuture<>();
        pending.put(run, end);
        FlowInterface.Input in = flow.flowInputs().get(0);
        in.accept(new Packet.Delta(run, value));
        in.accept(Packet.End.of(run));
        Packet p = end.get(60, TimeUnit.SECONDS);
        if (!(p instanceof Packet.End)) {
            throw new IllegalStateException("the call did not end well: " + p);
        }
    }

    private static double median(List<double[]> samples, int column) {
        double[] v = samples.stream().mapToDouble(s -> s[column]).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
