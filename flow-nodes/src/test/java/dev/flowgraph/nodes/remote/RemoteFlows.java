package dev.flowgraph.nodes.remote;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.node.NodeRegistry;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.run.FlowRuntime;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.RuntimeOptions;
import dev.flowgraph.core.testing.TestFlows;
import dev.flowgraph.core.testing.TestNodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A running flow of keep-alive → entry → one remote node → back to the entry, and what a run of it gave. */
public final class RemoteFlows {
    static final String NODE = "remote";

    private RemoteFlows() {
    }

    public static FlowRuntime start(NodeType remote, Map<String, Object> settings) throws Exception {
        return start(remote, settings, "text");
    }

    /** The remote node with {@code output} (its text, or its json) wired back to the entry. */
    public static FlowRuntime start(NodeType remote, Map<String, Object> settings, String output) throws Exception {
        FlowDocument flow = new FlowDocument(FlowDocument.FORMAT, "remote", "", List.of(
                TestFlows.node("alive", "test.keepalive", Map.of()),
                TestFlows.node("entry", "test.entry", Map.of("label", "remote")),
                TestFlows.node(NODE, remote.descriptor().id(), settings)),
                List.of(Wire.of("alive.signal", "entry.alive"), Wire.of("entry.out", NODE + ".chat"),
                        Wire.of(NODE + "." + output, "entry.back")));
        List<NodeType> types = new ArrayList<>(TestNodes.all());
        types.add(remote);
        return FlowRuntime.start(flow, NodeRegistry.of(types), RuntimeOptions.inProcess(Path.of(".")));
    }

    /** A run in progress: the packets so far, and whether it has ended. */
    public record Answer(Run run, List<Packet> packets, CompletableFuture<Void> done) {
        public List<Packet> await() throws Exception {
            done.get(20, TimeUnit.SECONDS);
            return packets;
        }

        long deltas() {
            return packets.stream().filter(p -> p instanceof Packet.Delta).count();
        }
    }

    public static Answer submit(FlowRuntime runtime, ChatRequest request) {
        List<Packet> packets = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Run run = runtime.entry().submit(request, p -> {
            packets.add(p);
            if (p.isTerminal()) {
                done.complete(null);
            }
        });
        return new Answer(run, packets, done);
    }

    public static List<Packet> ask(FlowRuntime runtime, String text) throws Exception {
        return submit(runtime, ChatRequest.ofUser(text)).await();
    }

    public static String text(List<Packet> packets) {
        StringBuilder sb = new StringBuilder();
        packets.stream().filter(p -> p instanceof Packet.Delta).forEach(p -> sb.append(((Packet.Delta) p).value()));
        return sb.toString();
    }

    public static Packet.End end(List<Packet> packets) {
        assertThat(packets).last().isInstanceOf(Packet.End.class);
        return (Packet.End) packets.get(packets.size() - 1);
    }

    public static Packet.Failure failure(List<Packet> packets) {
        assertThat(packets).last().isInstanceOf(Packet.Failure.class);
        return (Packet.Failure) packets.get(packets.size() - 1);
    }
}
