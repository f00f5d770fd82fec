package dev.flowgraph.cli;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.run.FlowInterface;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.FlowStartException;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.value.Values;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code flow run} for a flow with Flow input nodes (a sub-flow on its own, or a flow such as foreach.flow.json): one
 * run, each input given its value, each Flow output printed as it streams (JSON pretty-printed).
 */
final class FlowInputsRun {
    private final FlowDocument flow;
    private final Path flowFile;
    private final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);

    FlowInputsRun(FlowDocument flow, Path flowFile) {
        this.flow = flow;
        this.flowFile = flowFile;
    }

    /** @param values the value of each Flow input, by name */
    int call(Map<String, String> values) throws Exception {
        try (FlowRuntime runtime = FlowRuntime.start(flow, NodeRegistry.discover(),
                RuntimeOptions.inProcess(FlowFileArgument.directoryOf(flowFile)))) {
            List<FlowInterface.Input> inputs = runtime.flowInputs();
            for (FlowInterface.Input input : inputs) {
                if (!values.containsKey(input.name())) {
                    System.err.println("flow run: give the flow's input '" + input.name() + "' with --input "
                            + input.name() + "=VALUE" + (inputs.size() == 1 ? " (or --prompt VALUE)" : ""));
                    return 2;
                }
            }
            for (String name : values.keySet()) {
                if (inputs.stream().noneMatch(i -> i.name().equals(name))) {
                    System.err.println("flow run: the flow has no input '" + name + "' (it has "
                            + inputs.stream().map(FlowInterface.Input::name).toList() + ")");
                    return 2;
                }
            }
            List<FlowInterface.Output> outputs = runtime.flowOutputs();
            if (outputs.isEmpty()) {
                System.err.println("flow run: the flow has Flow inputs but no Flow output to print");
                return 2;
            }
            Run run = runtime.startRun(null);
            Packet[] failure = new Packet[1];
            List<CompletableFuture<Void>> ended = outputs.stream().map(output -> {
                CompletableFuture<Void> done = new CompletableFuture<>();
                boolean heading = outputs.size() > 1;
                boolean[] started = {false};
                output.sendTo(packet -> {
                    if (packet.run() != run) {
                        return;
                    }
                    synchronized (out) {
                        if (!started[0] && heading && !(packet instanceof Packet.NotTaken)) {
                            out.print("### " + output.name() + "\n");
                            started[0] = true;
                        }
                        if (packet instanceof Packet.Delta delta) {
                            out.print(delta.value() instanceof String s ? s : pretty(delta.value()));
                            out.flush();
                            return;
                        }
                        if (packet instanceof Packet.Failure) {
                            failure[0] = packet;
                        }
                        if (started[0] || !heading) {
                            out.println();
                            out.flush();
                        }
                    }
                    done.complete(null);
                });
                return done;
            }).toList();
            for (FlowInterface.Input input : inputs) {
                input.accept(new Packet.Delta(run, values.get(input.name())));
                input.accept(Packet.End.of(run));
            }
            CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new)).get();
            if (failure[0] instanceof Packet.Failure f) {
                System.err.println("flow run: failed at node '" + f.nodeId() + "': " + f.message());
                return 1;
            }
            return 0;
        } catch (FlowStartException e) {
            System.err.println("flow run: " + e.getMessage());
            return 1;
        }
    }

    private static String pretty(Object value) {
        try {
            return Values.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Values.json(value));
        } catch (Exception e) {
            return Values.text(value);
        }
    }
}
