package dev.flowgraph.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowgraph.cli.FlowCommand;
import dev.flowgraph.cli.nginx.NginxConfig;
import dev.flowgraph.cli.nginx.NginxProcess;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Aggregate tokens/s of three ways to serve more than one client, with 1, 2 and 4 clients at once, measured side
 * by side in rotating rounds: (a) one instance, concurrency 1 (clients turned away retry after 20 ms); (b) one
 * instance, concurrency 4 with the Local LLM's parallel 4; (c) two instances behind NGINX. Then the time to
 * first token NGINX adds in front of one instance. Every instance is a real {@code flow serve} process with one
 * decoding thread; NGINX is the system's. Arguments: [rounds (5)] [tokens per answer (256)] [requests per client (4)].
 */
public final class ScaleBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "BenchKey1";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int[] CLIENTS = {1, 2, 4};

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int perClient = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path dir = Files.createTempDirectory("flowgraph-scale-bench");
        List<Process> processes = new ArrayList<>();
        try {
            Path single = flow(dir, tokens, 1, 1);
            Path parallel = flow(dir, tokens, 4, 4);
            int a = freePort();
            int b = freePort();
            int c = freeRun(2);
            processes.add(serve(single, a, dir));
            processes.add(serve(parallel, b, dir));
            processes.add(serve(single, c, dir));
            processes.add(serve(single, c + 1, dir));
            int nginxOne = freePort();
            int nginxTwo = freePort();
            processes.add(nginx(dir, new NginxConfig(1, a, "127.0.0.1", nginxOne, 1, 1)));
            processes.add(nginx(dir, new NginxConfig(2, c, "127.0.0.1", nginxTwo, 1, 1)));
            for (int port : new int[] {a, b, c, c + 1, nginxOne, nginxTwo}) {
                awaitPort(port);
            }

            Map<String, String> setups = new LinkedHashMap<>();
            setups.put("(a) 1 instance, concurrency 1", "http://127.0.0.1:" + a);
            setups.put("(b) 1 instance, concurrency 4, parallel 4", "http://127.0.0.1:" + b);
            setups.put("(c) 2 instances behind NGINX", "http://127.0.0.1:" + nginxTwo);
            List<String> names = new ArrayList<>(setups.keySet());
            for (String url : setups.values()) {
                load(url, 1, 2); // warm-up: JIT, model pages
            }
            Map<String, List<Double>> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (int clients : CLIENTS) {
                    for (int i = 0; i < names.size(); i++) {
                        String name = names.get((i + round) % names.size());
                        double tps = load(setups.get(name), clients, perClient);
                        results.computeIfAbsent(name + "|" + clients, k -> new ArrayList<>()).add(tps);
                    }
                }
                System.err.printf("round %d of %d done%n", round + 1, rounds);
            }
            System.out.printf("%nAggregate tokens/s (median of %d rounds; %d tokens per answer, %d answers per client)%n",
                    rounds, tokens, perClient);
            System.out.printf("%-44s %12s %12s %12s%n", "", "1 client", "2 clients", "4 clients");
            for (String name : names) {
                System.out.printf("%-44s", name);
                for (int clients : CLIENTS) {
                    double tps = median(results.get(name + "|" + clients));
                    double base = median(results.get(names.get(0) + "|" + clients));
                    System.out.printf(" %6.0f %4.2fx", tps, tps / base);
                }
                System.out.println();
            }

            String direct = "http://127.0.0.1:" + a;
            String proxied = "http://127.0.0.1:" + nginxOne;
            List<Double> directTtft = new ArrayList<>();
            List<Double> proxiedTtft = new ArrayList<>();
            for (int i = 0; i < rounds * 10; i++) {
                boolean directFirst = i % 2 == 0;
                (directFirst ? directTtft : proxiedTtft).add(ask(directFirst ? direct : proxied).firstTokenMillis());
                (directFirst ? proxiedTtft : directTtft).add(ask(directFirst ? proxied : direct).firstTokenMillis());
            }
            double d = median(directTtft);
            double p = median(proxiedTtft);
            System.out.printf("%nTime to first token, one client, median of %d each: direct %.2f ms, through NGINX %.2f ms "
                    + "(NGINX adds %.2f ms)%n", directTtft.size(), d, p, p - d);
        } finally {
            for (Process process : processes) {
                process.destroy();
            }
            for (Process process : processes) {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
        System.exit(0);
    }

    record Answer(int tokens, double firstTokenMillis) {
    }

    /** {@code clients} clients each get {@code perClient} whole answers; returns tokens per second over all. */
    private static double load(String url, int clients, int perClient) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            List<CompletableFuture<Integer>> work = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                work.add(CompletableFuture.supplyAsync(() -> {
                    int sum = 0;
                    for (int r = 0; r < perClient; r++) {
                        sum += ask(url).tokens();
                    }
                    return sum;
                }, pool));
            }
            long total = 0;
            for (CompletableFuture<Integer> w : work) {
                total += w.get(10, TimeUnit.MINUTES);
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One whole answer, asking again 20 ms after each 503 (every slot busy). */
    private static Answer ask(String url) {
        String body = "{\"message\":[{\"role\":\"user\",\"content\":\"Once upon a time,\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/prompt")).header("Content-Type", "application/json")
                .header("X-API-Key", KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            while (true) {
                long start = System.nanoTime();
                HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() == 503) {
                    response.body().close();
                    Thread.sleep(20);
                    continue;
                }
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + response.statusCode() + " from " + url);
                }
                long first = -1;
                int tokens = -1;
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (!line.startsWith("data: {")) {
                            continue;
                        }
                        if (first < 0) {
                            first = System.nanoTime();
                        }
                        if (line.contains("\"usage\"")) {
                            JsonNode event = JSON.readTree(line.substring(6));
                            tokens = event.path("usage").path("completion_tokens").asInt();
                        }
                    }
                }
                if (tokens < 0) {
                    throw new IllegalStateException("an answer from " + url + " ended without usage");
                }
                return new Answer(tokens, (first - start) / 1e6);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path flow(Path dir, int tokens, int concurrency, int parallel) throws Exception {
        Path model = Path.of("models/stories260K.gguf").toAbsolutePath();
        if (!Files.isRegularFile(model)) {
            throw new IllegalStateException("no model at " + model + ": run ./scripts/fetch-models.sh");
        }
        FlowDocument flow = FlowFiles.load(Path.of("examples/story-api.flow.json"))
                .withSetting("llm", "modelPath", model.toString())
                .withSetting("llm", "threads", 1)
                .withSetting("llm", "maxTokens", tokens)
                .withSetting("llm", "ignoreEos", true)
                .withSetting("llm", "contextSize", Math.max(512, tokens + 64))
                .withSetting("llm", "parallel", parallel)
                .withSetting("api", "concurrency", concurrency)
                .withSetting("api", "host", "127.0.0.1");
        Path file = dir.resolve("scale-" + concurrency + "-" + parallel + ".flow.json");
        FlowFiles.save(flow, file);
        return file;
    }

    private static Process serve(Path flow, int port, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FlowCommand.class.getName(),
                "serve", flow.toString(), "--port", String.valueOf(port))
                .redirectOutput(dir.resolve("serve-" + port + ".out").toFile())
                .redirectError(dir.resolve("serve-" + port + ".log").toFile());
        pb.environment().put("FLOW_API_KEY", KEY);
        return pb.start();
    }

    private static Process nginx(Path dir, NginxConfig config) throws IOException {
        return NginxProcess.start(dir.resolve("nginx-" + config.listen()), config, "ScaleBenchmark");
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing listens on " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The first of {@code count} consecutive ports that are free now. */
    private static int freeRun(int count) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = freePort();
            boolean all = true;
            for (int p = first + 1; p < first + count && all; p++) {
                all = isFree(p);
            }
            if (all) {
                return first;
            }
        }
        throw new IllegalStateException("no run of " + count + " free ports");
    }

    private static boolean isFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
