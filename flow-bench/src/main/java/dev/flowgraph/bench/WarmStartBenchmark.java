package dev.flowgraph.bench;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The first requests after a start against the thousandth: each round starts {@code flow serve} afresh through the
 * launcher (as shipped; with the warm-up off; with a 0.3 s warm-up; without a store, to see what recording runs costs;
 * and as shipped before: the full JIT and a 2 s warm-up), times the start until {@code /health} answers 200, then sends
 * {@code requests} streamed {@code /v1/chat/completions} calls one after another on one kept-alive connection and
 * notes each one's time to first token. Side by side in the same run: the raw in-process binding's time to first
 * token (no llama-server binary is at hand here). Medians over the rounds.
 *
 * <p>Usage: {@code scripts/bench-warm.sh [rounds=3] [requests=450] [tokens=128]}
 */
public final class WarmStartBenchmark {
    private static final String KEY = "WarmKey1";
    private static final String PROMPT = "Once upon a time,"; // ServeBenchmark's, for the raw baseline

    private record Setup(String name, List<String> serveArgs, Map<String, String> env) {
    }

    private record RoundResult(double startMillis, double firstFifty, double late, double raw) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 450;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        if (requests < 100) {
            throw new IllegalArgumentException("at least 100 requests: requests 1-50 are compared with the last 50");
        }
        Path root = Path.of("").toAbsolutePath();
        Path model = root.resolve("models/stories260K.gguf");
        Path dir = Files.createTempDirectory("flowgraph-warm");
        Path flow = dir.resolve("story.flow.json");
        FlowDocument story = FlowFiles.load(root.resolve("examples/story-api.flow.json"))
                .withSetting("llm", "modelPath", model.toString())
                .withSetting("llm", "threads", 1).withSetting("llm", "maxTokens", tokens)
                .withSetting("llm", "ignoreEos", true).withSetting("llm", "seed", 7);
        FlowFiles.save(story, flow);

        List<String> heap = options(root, "flow-jvm.options");
        List<Setup> setups = List.of(
                // What the launcher shipped before: the full JIT (C2) and a 2 s warm-up.
                new Setup("full JIT, 2 s", List.of("--warmup-seconds", "2"), Map.of("FLOW_JAVA_OPTS", String.join(" ", heap))),
                new Setup("warm-up off", List.of("--warmup-seconds", "0"), Map.of()),
                new Setup("warm-up 0.3 s", List.of("--warmup-seconds", "0.3"), Map.of()),
                new Setup("no store", List.of("--store", "none"), Map.of()),
                new Setup("as shipped", List.of(), Map.of()));
        LlamaModel raw = new LlamaModel(new ModelParameters().setModel(model.toString()).setCtxSize(2048)
                .setThreads(1).setThreadsBatch(1).disableLog());
        for (int i = 0; i < 30; i++) {
            rawFirstTokenMillis(raw, tokens);
        }
        Map<String, List<RoundResult>> results = new LinkedHashMap<>();
        setups.forEach(s -> results.put(s.name(), new ArrayList<>()));
        String body = "{\"model\":\"story-api\",\"stream\":true,\"max_tokens\":" + tokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
        for (int round = 0; round < rounds; round++) {
            for (int s = 0; s < setups.size(); s++) {
                Setup setup = setups.get((round + s) % setups.size());
                int port = freePort();
                long started = System.nanoTime();
                Process serve = serve(root, flow, port, dir, setup);
                try {
                    awaitHealthy(port, serve);
                    double startMillis = (System.nanoTime() - started) / 1e6;
                    double[] firstToken = new double[requests];
                    double[] streamMillis = new double[requests];
                    RawHttpClient client = new RawHttpClient("127.0.0.1", port);
                    for (int i = 0; i < requests; i++) {
                        long sent = System.nanoTime();
                        RawHttpClient.Timing t = client.postStream("/v1/chat/completions", KEY, body);
                        firstToken[i] = (t.firstContentNanos() - sent) / 1e6;
                        streamMillis[i] = (t.lastEventNanos() - sent) / 1e6;
                    }
                    double[] rawNow = new double[50];
                    for (int i = 0; i < rawNow.length; i++) {
                        rawNow[i] = rawFirstTokenMillis(raw, tokens);
                    }
                    StringBuilder curve = new StringBuilder();
                    for (int from = 0; from < requests; from += 50) {
                        curve.append(String.format(" %.2f", median(Arrays.copyOfRange(firstToken, from,
                                Math.min(requests, from + 50)))));
                    }
                    System.out.printf("round %d %-12s first token by 50 requests (ms):%s%n", round + 1, setup.name(),
                            curve);
                    RoundResult r = new RoundResult(startMillis, median(Arrays.copyOfRange(firstToken, 0, 50)),
                            median(Arrays.copyOfRange(firstToken, requests - 50, requests)), median(rawNow));
                    results.get(setup.name()).add(r);
                    System.out.printf("round %d %-12s start→health %6.0f ms  first token: requests 1-50 %.3f ms, "
                                    + "%d-%d %.3f ms (%.2fx); raw binding %.3f ms%n", round + 1, setup.name(),
                            r.startMillis(), r.firstFifty(), requests - 49, requests, r.late(),
                            r.firstFifty() / r.late(), r.raw());
                    System.out.printf("round %d %-12s whole answer, last 50: %.3f ms (%.0f tokens/s)%n", round + 1,
                            setup.name(), median(Arrays.copyOfRange(streamMillis, requests - 50, requests)),
                            tokens * 1000 / median(Arrays.copyOfRange(streamMillis, requests - 50, requests)));
                } finally {
                    serve.destroy();
                    serve.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
        System.out.printf("%n%d rounds, %d requests each, %d tokens, test model, 1 thread; medians over the rounds%n",
                rounds, requests, tokens);
        System.out.printf("%-12s %16s %18s %18s %10s %18s %12s%n", "setup", "start→health", "TTFT req 1-50",
                "TTFT last 50", "ratio", "raw binding TTFT", "1-50 vs raw");
        for (var e : results.entrySet()) {
            List<RoundResult> rs = e.getValue();
            double start = median(rs.stream().mapToDouble(RoundResult::startMillis).toArray());
            double first = median(rs.stream().mapToDouble(RoundResult::firstFifty).toArray());
            double late = median(rs.stream().mapToDouble(RoundResult::late).toArray());
            double rawTtft = median(rs.stream().mapToDouble(RoundResult::raw).toArray());
            System.out.printf("%-12s %13.0f ms %15.3f ms %15.3f ms %9.2fx %15.3f ms %11.2fx%n", e.getKey(), start,
                    first, late, first / late, rawTtft, first / rawTtft);
        }
        raw.close();
        System.exit(0);
    }

    /** The JVM options in one of the launcher's option files. */
    private static List<String> options(Path root, String file) throws IOException {
        return Files.readAllLines(root.resolve("scripts").resolve(file)).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static double rawFirstTokenMillis(LlamaModel model, int tokens) {
        return ServeBenchmark.raw(model, tokens).firstTokenMillis();
    }

    /** Starts {@code flow serve} through the launcher, as a user would: its JVM options, archive and libraries. */
    private static Process serve(Path root, Path flow, int port, Path dir, Setup setup) throws IOException {
        List<String> command = new ArrayList<>(List.of(root.resolve("flow").toString(), "serve", flow.toString(),
                "--port", String.valueOf(port), "--host", "127.0.0.1"));
        if (!setup.serveArgs().contains("--store")) {
            command.addAll(List.of("--store", "jdbc:sqlite:" + dir.resolve("store.db")));
        }
        command.addAll(setup.serveArgs());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("serve-" + port + ".out").toFile())
                .redirectError(dir.resolve("serve-" + port + ".log").toFile());
        pb.environment().put("FLOW_API_KEY", KEY);
        pb.environment().putAll(setup.env());
        return pb.start();
    }

    /** Polls {@code GET /health} every 5 ms, as a load balancer's check would (more often), until it says 200. */
    private static void awaitHealthy(int port, Process serve) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        byte[] request = ("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (System.nanoTime() < deadline) {
            if (!serve.isAlive()) {
                throw new IllegalStateException("flow serve exited with " + serve.exitValue());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
                InputStream in = s.getInputStream();
                String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                if (status.equals("HTTP/1.1 200")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("flow serve on " + port + " never became healthy");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
