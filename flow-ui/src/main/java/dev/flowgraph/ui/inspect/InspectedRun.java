package dev.flowgraph.ui.inspect;

import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.PortRef;
import dev.flowgraph.core.flow.Wire;
import dev.flowgraph.core.run.NodeTrace;
import dev.flowgraph.core.store.RunRecord;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run as the editor shows it: what each node did (the trace) and, for runs made in the editor, what every output
 * sent. A run opened from history has its trace, input and answer but no packets: history keeps no wire contents.
 *
 * @param flow          the flow as it ran (in the editor), or as it is now (a run from history)
 * @param entryNode     the node the run came in by (the API element), or null when unknown
 * @param outputs       what each output sent, empty for a run from history
 * @param input         the client's messages (a run from history), or null
 * @param output        the answer as recorded (a run from history), or null
 * @param error         why the run failed, or null
 * @param settingsAsRun whether {@code flow} holds the settings the run used (not so for history)
 */
public record InspectedRun(String id, long startedMillis, FlowDocument flow, String entryNode, List<NodeTrace> trace,
                           Map<PortRef, PortLog> outputs, List<ChatMessage> input, String output, String error,
                           boolean settingsAsRun) {

    public InspectedRun {
        trace = List.copyOf(trace);
        outputs = Map.copyOf(outputs);
        input = input == null ? null : List.copyOf(input);
    }

    /** A run from history, shown on the flow as it is now. */
    public static InspectedRun of(RunRecord record, FlowDocument flow, String entryNode) {
        return new InspectedRun(record.id(), record.started(), flow, entryNode, record.trace(), Map.of(), record.input(),
                record.output(), record.error(), false);
    }

    public Optional<NodeTrace> trace(String nodeId) {
        return trace.stream().filter(t -> t.nodeId().equals(nodeId)).findFirst();
    }

    /**
     * Whether the run passed the node by: wired into from elsewhere, it never received the run. Nodes with no wire in
     * (the Initiator, tool nodes) work for the flow itself and are never passed by.
     */
    public boolean passedBy(String nodeId) {
        return !reached(nodeId) && flow.wires().stream().anyMatch(w -> w.to().node().equals(nodeId));
    }

    /** Whether the run reached the node (it received something other than a not-taken mark). */
    public boolean reached(String nodeId) {
        return trace(nodeId).isPresent()
                || outputs.entrySet().stream().anyMatch(e -> e.getKey().node().equals(nodeId) && e.getValue().taken());
    }

    /** Whether the run came down the wire: its output sent the run's stream (history: both ends were reached). */
    public boolean carried(Wire wire) {
        if (outputs.isEmpty()) {
            return reached(wire.from().node()) && reached(wire.to().node());
        }
        PortLog log = outputs.get(wire.from());
        return log != null && log.taken();
    }

    /** How many packets the wire carried, or empty when the run recorded none (a run from history). */
    public Optional<Integer> packets(Wire wire) {
        if (outputs.isEmpty()) {
            return Optional.empty();
        }
        PortLog log = outputs.get(wire.from());
        return Optional.of(log == null ? 0 : log.packets());
    }

    /** What came into a node's input: the log of each output wired to it, in wire order. */
    public List<Map.Entry<Wire, PortLog>> received(String nodeId, String inputPort) {
        PortRef input = new PortRef(nodeId, inputPort);
        return flow.wires().stream().filter(w -> w.to().equals(input) && outputs.containsKey(w.from()))
                .map(w -> Map.entry(w, outputs.get(w.from()))).toList();
    }

    public Optional<PortLog> emitted(String nodeId, String outputPort) {
        return Optional.ofNullable(outputs.get(new PortRef(nodeId, outputPort)));
    }

    /** The badge a node's card shows: its time and tokens in this run. */
    public Optional<String> badge(String nodeId) {
        return trace(nodeId).map(t -> {
            long micros = Math.max(0, t.endNanos() - t.startNanos()) / 1_000;
            String time = micros >= 10_000 ? micros / 1_000 + " ms" : String.format("%.1f ms", micros / 1000.0);
            int tokens = t.tokensIn() + t.tokensOut();
            return (t.error() != null ? "✖ " : "") + time + (tokens > 0 ? " · " + t.tokensOut() + " tok" : "");
        });
    }
}
