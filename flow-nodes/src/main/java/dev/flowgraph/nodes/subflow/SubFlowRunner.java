package dev.flowgraph.nodes.subflow;

import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.run.FlowInterface;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.FlowStartException;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sub-flow running inside a node (Sub-flow, For each, Repeat): calls into it are {@linkplain Run#child child runs} of
 * the caller's run, so they are cancelled with it and traced under the node; what its Flow outputs emit is routed back
 * to the call it belongs to.
 */
final class SubFlowRunner implements AutoCloseable {
    private final FlowRuntime flow;
    private final Map<String, FlowInterface.Input> inputs = new LinkedHashMap<>();
    private final List<FlowInterface.Output> outputs;
    private final Map<Run, Receiver> receivers = new ConcurrentHashMap<>();

    /** Gets what one call's outputs emit, on the output node's mailbox: must be quick. */
    @FunctionalInterface
    interface Receiver {
        void packet(String output, Packet packet);
    }

    private SubFlowRunner(FlowRuntime flow) {
        this.flow = flow;
        for (FlowInterface.Input input : flow.flowInputs()) {
            inputs.put(input.name(), input);
        }
        this.outputs = flow.flowOutputs();
        for (FlowInterface.Output output : outputs) {
            output.sendTo(packet -> {
                Receiver receiver = receivers.get(packet.run());
                if (receiver != null) {
                    receiver.packet(output.name(), packet);
                }
            });
        }
    }

    /** Starts the flow named by the node's {@code flow} setting, relative to the node's own flow file. */
    static SubFlowRunner start(NodeContext context) throws FlowStartException {
        String path = context.settings().string(FlowInterfaceFile.FLOW);
        return new SubFlowRunner(context.startSubFlow(context.options().scope().resolve(path)));
    }

    List<FlowInterface.Output> outputs() {
        return outputs;
    }

    /** A new call: a child run of {@code parent}, traced as {@code tracePrefix + nodeId}, whose results go to {@code receiver}. */
    Run call(Run parent, String tracePrefix, Receiver receiver) {
        Run child = parent.child(tracePrefix);
        receivers.put(child, receiver);
        return child;
    }

    /** Feeds a packet of a call's run into the named input. */
    void feed(String input, Packet packet) {
        FlowInterface.Input in = inputs.get(input);
        if (in == null) {
            throw new IllegalArgumentException("the sub-flow has no input '" + input + "' (it has " + inputs.keySet()
                    + "): it was edited after this flow was loaded");
        }
        in.accept(packet);
    }

    /** The call is over: its run's later packets, if any, are dropped. */
    void done(Run child) {
        receivers.remove(child);
    }

    /**
     * Calls the sub-flow with one value on its (only) input and completes with the whole value of its first output:
     * the text joined, or the one value. A failure inside, or no result, completes it exceptionally.
     */
    CompletableFuture<Object> callWhole(Run parent, String tracePrefix, Object value) {
        return callWhole(parent, tracePrefix, Map.of(inputs.keySet().iterator().next(), value));
    }

    /** Like {@link #callWhole(Run, String, Object)}, with a value for each input by name. */
    CompletableFuture<Object> callWhole(Run parent, String tracePrefix, Map<String, Object> values) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        String first = outputs.get(0).name();
        StringBuilder text = new StringBuilder();
        Object[] whole = new Object[1];
        Run child = call(parent, tracePrefix, (output, packet) -> {
            if (!output.equals(first)) {
                return;
            }
            if (packet instanceof Packet.Delta delta) {
                if (delta.value() instanceof String s) {
                    text.append(s);
                } else {
                    whole[0] = delta.value();
                }
                return;
            }
            done(packet.run());
            if (packet instanceof Packet.Failure failure) {
                result.completeExceptionally(new IllegalStateException(failure.message()));
            } else if (packet instanceof Packet.NotTaken mark) {
                result.completeExceptionally(new IllegalStateException("the sub-flow gave no result: " + mark.explain()));
            } else if (packet instanceof Packet.End end && Packet.End.CANCELLED.equals(end.finishReason())) {
                result.completeExceptionally(new IllegalStateException("cancelled"));
            } else {
                result.complete(whole[0] != null ? whole[0] : text.toString());
            }
        });
        values.forEach((input, value) -> {
            feed(input, new Packet.Delta(child, value));
            feed(input, Packet.End.of(child));
        });
        result.whenComplete((v, e) -> {
            if (e != null) {
                child.cancel("the call ended");
            }
        });
        return result;
    }

    @Override
    public void close() {
        flow.close();
    }
}
