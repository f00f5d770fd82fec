package dev.flowgraph.bench;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.RuntimeOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What holding the model to a JSON Schema costs per token: the structured-api example (llama.cpp's grammar made from
 * its schema) against the same model and settings unconstrained (story-api), in-process, side by side in rotating
 * rounds. Answers differ in length (a JSON answer ends when its object closes), so the figure compared is the time per
 * generated token after the first, and the time to the first token.
 * Arguments: [rounds (60)] [warm-up rounds (100)].
 */
public final class StructuredBenchmark {
    record Sample(double millisPerToken, double firstTokenMillis, int tokens) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path root = Path.of("").toAbsolutePath();
        String model = root.resolve("models/stories260K.gguf").toString();
        List<String> names = List.of("unconstrained (story-api)", "json_schema (structured-api)");
        List<FlowRuntime> runtimes = new ArrayList<>();
        for (String file : List.of("story-api", "structured-api")) {
            FlowDocument flow = FlowFiles.load(root.resolve("examples/" + file + ".flow.json"))
                    .withSetting("llm", "modelPath", model).withSetting("llm", "threads", 1)
                    .withSetting("llm", "maxTokens", 128).withSetting("llm", "seed", 7)
                    .withSetting("api", "warmupSeconds", 0.0);
            runtimes.add(FlowRuntime.start(flow, NodeRegistry.discover(),
                    RuntimeOptions.inProcess(root).withEnvironment(Map.of("FLOW_API_KEY", "BenchKey1")::get)));
        }
        List<List<Sample>> samples = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < warmup + rounds; round++) {
            for (int i = 0; i < 2; i++) {
                int way = (round + i) % 2;
                Sample s = run(runtimes.get(way));
                if (round >= warmup) {
                    samples.get(way).add(s);
                }
            }
        }
        System.out.printf("%d rounds after %d warm-up rounds, model stories260K.gguf, 1 thread%n", rounds, warmup);
        System.out.printf("%-30s %16s %10s %18s %14s%n", "way", "ms/token (med)", "ratio", "first token (med)", "tokens (med)");
        double base = median(samples.get(0), Sample::millisPerToken);
        for (int i = 0; i < 2; i++) {
            double perToken = median(samples.get(i), Sample::millisPerToken);
            System.out.printf("%-30s %16.4f %9.3fx %15.3f ms %14.0f%n", names.get(i), perToken, perToken / base,
                    median(samples.get(i), Sample::firstTokenMillis), median(samples.get(i), s -> s.tokens));
        }
        runtimes.forEach(FlowRuntime::close);
        System.exit(0);
    }

    private static Sample run(FlowRuntime runtime) throws InterruptedException {
        LinkedBlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        runtime.entry().submit(ChatRequest.ofUser("Once upon a time"), packets::offer);
        long first = 0;
        while (true) {
            Packet p = packets.poll(30, TimeUnit.SECONDS);
            if (p instanceof Packet.Delta) {
                if (first == 0) {
                    first = System.nanoTime();
                }
            } else if (p instanceof Packet.End end) {
                int tokens = end.usage().completionTokens();
                return new Sample((System.nanoTime() - first) / 1e6 / Math.max(1, tokens - 1), (first - start) / 1e6,
                        tokens);
            } else {
                throw new IllegalStateException("run failed: " + p);
            }
        }
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        double[] v = samples.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
