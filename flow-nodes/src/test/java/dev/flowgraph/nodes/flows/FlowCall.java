package dev.flowgraph.nodes.flows;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.FlowFiles;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowInterface;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A flow with Flow input and Flow output nodes, started in-process and called as a function: each call is one run,
 * each input given a value, and the outputs' whole values (or their failure, or their not-taken mark) come back.
 */
final class FlowCall implements AutoCloseable {
    final FlowRuntime runtime;
    private final Map<Run, Map<String, CompletableFuture<Packet>>> ends = new ConcurrentHashMap<>();
    private final Map<Run, Map<String, StringBuilder>> texts = new ConcurrentHashMap<>();
    private final Map<Run, Map<String, Object>> values = new ConcurrentHashMap<>();

    /** What one call gave: each output's text or value, and how it ended. */
    record Result(Run run, Map<String, Object> values, Map<String, Packet> ends) {
        Object value(String output) {
            return values.get(output);
        }

        Packet end(String output) {
            return ends.get(output);
        }
    }

    private FlowCall(FlowRuntime runtime) {
        this.runtime = runtime;
        for (FlowInterface.Output output : runtime.flowOutputs()) {
            output.sendTo(packet -> {
                Run run = packet.run();
                if (packet instanceof Packet.Delta delta) {
                    if (delta.value() instanceof String s) {
                        texts.get(run).computeIfAbsent(output.name(), k -> new StringBuilder()).append(s);
                    } else {
                        values.get(run).put(output.name(), delta.value());
                    }
                } else {
                    ends.get(run).get(output.name()).complete(packet);
                }
            });
        }
    }

    static FlowCall of(FlowRuntime runtime) {
        return new FlowCall(runtime);
    }

    static FlowCall start(Path file) throws Exception {
        FlowDocument flow = FlowFiles.load(file);
        return new FlowCall(FlowRuntime.start(flow, NodeRegistry.discover(),
                RuntimeOptions.inProcess(file.toAbsolutePath().getParent()).forSubFlow(file)));
    }

    /** Calls the flow and waits for every output to end. */
    Result call(Map<String, Object> inputs) throws Exception {
        return callAsync(inputs).get(60, TimeUnit.SECONDS);
    }

    /** The run of the latest call (to cancel it, or read its trace while it runs). */
    volatile Run lastRun;

    CompletableFuture<Result> callAsync(Map<String, Object> inputs) {
        Run run = runtime.startRun(Duration.ZERO);
        lastRun = run;
        Map<String, CompletableFuture<Packet>> outputEnds = new ConcurrentHashMap<>();
        runtime.flowOutputs().forEach(o -> outputEnds.put(o.name(), new CompletableFuture<>()));
        ends.put(run, outputEnds);
        texts.put(run, new ConcurrentHashMap<>());
        values.put(run, new ConcurrentHashMap<>());
        for (FlowInterface.Input input : runtime.flowInputs()) {
            input.accept(new Packet.Delta(run, inputs.get(input.name())));
            input.accept(Packet.End.of(run));
        }
        List<CompletableFuture<Packet>> all = List.copyOf(outputEnds.values());
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, Object> result = new java.util.HashMap<>();
            texts.remove(run).forEach((k, sb) -> result.put(k, sb.toString()));
            result.putAll(values.remove(run));
            Map<String, Packet> done = new java.util.HashMap<>();
            ends.remove(run).forEach((k, f) -> done.put(k, f.join()));
            return new Result(run, result, done);
        });
    }

    @Override
    public void close() {
        runtime.close();
    }
}
