package dev.flowgraph.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.flowgraph.api.ApiElementNode;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.RuntimeOptions;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Tokens per second and time to first token of the same generation, five ways, measured side by side in
 * rounds (each round runs every way once, in a rotating order, so machine noise hits them alike):
 * <ol>
 *   <li>raw: de.kherud:llama's {@code generate} on a model loaded with the same settings;</li>
 *   <li>in-process: through the flow (API element entry → chat prompt → Local LLM → back), no socket;</li>
 *   <li>HTTP: {@code POST /prompt} on loopback over a kept-alive socket, read chunk by chunk by a minimal
 *   client (so the figures are the server's, not a client library's);</li>
 *   <li>HTTP: {@code POST /v1/chat/completions} (streamed) the same way, to its first content;</li>
 *   <li>HTTP with the JDK's HttpClient, for a client library's view.</li>
 * </ol>
 * Arguments: [rounds (30)] [tokens (128)] [threads (1)].
 */
public final class ServeBenchmark {
    private static final String PROMPT = "Once upon a time,";
    private static final String KEY = "BenchKey1";

    record Sample(double tokensPerSecond, double firstTokenMillis) {
    }

    interface Way {
        Sample run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        // A server answers many requests: enough warm-up rounds for the JIT to compile the per-request path too,
        // not only the per-token one (5 rounds left it interpreted, ~0.5 ms more to the first token).
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Path root = Path.of("").toAbsolutePath();
        Path model = root.resolve("models/stories260K.gguf");

        FlowDocument flow = FlowFiles.load(root.resolve("examples/story-api.flow.json"))
                .withSetting("api", "port", 0).withSetting("api", "host", "127.0.0.1")
                .withSetting("llm", "modelPath", model.toString())
                .withSetting("llm", "threads", threads).withSetting("llm", "maxTokens", tokens)
                .withSetting("llm", "ignoreEos", true).withSetting("llm", "seed", 7);
        FlowRuntime runtime = FlowRuntime.start(flow, NodeRegistry.discover(),
                RuntimeOptions.serving(root).withEnvironment(Map.of("FLOW_API_KEY", KEY)::get));
        String url = ((ApiElementNode) runtime.entry()).server().url() + "/prompt";
        LlamaModel raw = new LlamaModel(new ModelParameters().setModel(model.toString()).setCtxSize(2048)
                .setThreads(threads).setThreadsBatch(threads).enableLogPrefix()); // logging as the flow's model
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        Map<String, Way> ways = new LinkedHashMap<>();
        ways.put("raw llama generate", () -> raw(raw, tokens));
        ways.put("in-process flow", () -> inProcess(runtime, tokens));
        URI uri = URI.create(url);
        RawHttpClient socket = new RawHttpClient(uri.getHost(), uri.getPort());
        String body = "{\"message\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
        ways.put("HTTP /prompt (socket)", () -> {
            long start = System.nanoTime();
            RawHttpClient.Timing t = socket.postStream("/prompt", KEY, body);
            return sample(start, t.firstEventNanos(), t.lastEventNanos(), tokens);
        });
        String openAiBody = "{\"model\":\"story-api\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + PROMPT + "\"}]}";
        ways.put("HTTP OpenAI (socket)", () -> {
            long start = System.nanoTime();
            RawHttpClient.Timing t = socket.postStream("/v1/chat/completions", KEY, openAiBody);
            return sample(start, t.firstContentNanos(), t.lastEventNanos(), tokens); // its first event is the role
        });
        ways.put("HTTP /prompt (JDK)", () -> overHttp(http, url, tokens));
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        ways.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
        List<String> names = new ArrayList<>(ways.keySet());

        for (int warm = 0; warm < warmup; warm++) {
            for (Way w : ways.values()) {
                w.run();
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((round + i) % names.size());
                samples.get(name).add(ways.get(name).run());
            }
        }

        System.out.printf("%d rounds after %d warm-up rounds, %d tokens each, %d thread(s), model %s%n", rounds, warmup,
                tokens, threads, model.getFileName());
        System.out.printf("%-22s %14s %12s %18s %16s%n", "way", "tokens/s (med)", "vs raw", "first token (med)", "vs raw");
        double rawTps = median(samples.get(names.get(0)), Sample::tokensPerSecond);
        double rawTtft = median(samples.get(names.get(0)), Sample::firstTokenMillis);
        for (String name : names) {
            double tps = median(samples.get(name), Sample::tokensPerSecond);
            double ttft = median(samples.get(name), Sample::firstTokenMillis);
            System.out.printf("%-22s %14.0f %11.3fx %15.3f ms %+13.3f ms%n", name, tps, tps / rawTps, ttft, ttft - rawTtft);
        }
        runtime.close();
        raw.close();
        System.exit(0);
    }

    /** One raw generation through the binding, with the flow's sampling settings (also WarmStartBenchmark's baseline). */
    static Sample raw(LlamaModel model, int tokens) {
        InferenceParameters p = new InferenceParameters(PROMPT).setNPredict(tokens).setTemperature(0.8f)
                .setTopP(0.95f).setTopK(40).setRepeatPenalty(1.1f).setIgnoreEos(true).setSeed(7);
        long start = System.nanoTime();
        long first = 0;
        int n = 0;
        for (LlamaOutput o : model.generate(p)) {
            if (!o.text.isEmpty()) {
                if (n++ == 0) {
                    first = System.nanoTime();
                }
            }
        }
        return sample(start, first, System.nanoTime(), tokens);
    }

    private static Sample inProcess(FlowRuntime runtime, int tokens) throws InterruptedException {
        LinkedBlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        runtime.entry().submit(ChatRequest.ofUser(PROMPT), packets::offer);
        long first = 0;
        while (true) {
            Packet p = packets.poll(30, TimeUnit.SECONDS);
            if (p instanceof Packet.Delta) {
                if (first == 0) {
                    first = System.nanoTime();
                }
            } else if (p instanceof Packet.End) {
                return sample(start, first, System.nanoTime(), tokens);
            } else {
                throw new IllegalStateException("run failed or timed out: " + p);
            }
        }
    }

    private static Sample overHttp(HttpClient http, String url, int tokens) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}"))
                .build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long first = 0;
        long last = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: {")) {
                    last = System.nanoTime();
                    if (first == 0) {
                        first = last;
                    }
                }
            }
        }
        return sample(start, first, last, tokens);
    }

    private static Sample sample(long start, long first, long end, int tokens) {
        return new Sample(tokens / ((end - start) / 1e9), (first - start) / 1e6);
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        double[] v = samples.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
