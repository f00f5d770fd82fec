package dev.flowgraph.ui.inspect;

import dev.flowgraph.core.flow.FlowDocument;
import dev.flowgraph.core.flow.PortRef;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.run.WireTap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps what every output sent in each run in flight, so the finished run can be inspected. Bounded: at most
 * {@value #MAX_PIECES} pieces per output and {@value #MAX_OPEN_RUNS} unfinished runs are kept.
 */
public final class RunCapture implements WireTap {
    static final int MAX_PIECES = 50_000;
    static final int MAX_OPEN_RUNS = 64;

    private final Map<Run, Map<PortRef, Recorder>> open = new ConcurrentHashMap<>();

    /** Called on the emitting node's thread; see {@link WireTap}. */
    @Override
    public void emitted(String nodeId, String port, Packet packet) {
        Run run = packet.run();
        Map<PortRef, Recorder> ports = open.get(run);
        if (ports == null) {
            if (open.size() >= MAX_OPEN_RUNS) {
                return; // runs that never finish must not fill the editor's memory
            }
            ports = open.computeIfAbsent(run, r -> new ConcurrentHashMap<>());
        }
        ports.computeIfAbsent(new PortRef(nodeId, port), p -> new Recorder(run.startNanos())).add(packet);
    }

    /** Takes a finished run's capture (forgetting it here) together with its trace and the flow that ran it. */
    public InspectedRun finish(Run run, FlowDocument flow, String entryNode, long startedMillis) {
        Map<PortRef, Recorder> ports = open.remove(run);
        Map<PortRef, PortLog> outputs = new LinkedHashMap<>();
        if (ports != null) {
            ports.forEach((ref, recorder) -> outputs.put(ref, recorder.log()));
        }
        String error = run.outcome() == null ? null : run.outcome().error();
        return new InspectedRun("run-" + run.id(), startedMillis, flow, entryNode, run.trace().nodes(), outputs, null, null, error,
                true);
    }

    private static final class Recorder {
        private final long runStart;
        private final List<PortLog.Piece> pieces = new ArrayList<>();
        private String ending = "open";
        private boolean taken;
        private int packets;

        Recorder(long runStart) {
            this.runStart = runStart;
        }

        synchronized void add(Packet packet) {
            packets++;
            if (packet instanceof Packet.Delta delta) {
                taken = true;
                if (pieces.size() < MAX_PIECES) {
                    pieces.add(new PortLog.Piece(System.nanoTime() - runStart, delta.value()));
                }
            } else if (packet instanceof Packet.End end) {
                taken = true;
                ending = "end · " + end.finishReason();
            } else if (packet instanceof Packet.Failure failure) {
                taken = true;
                ending = "failed at " + failure.nodeId() + ": " + failure.message();
            } else if (packet instanceof Packet.NotTaken mark) {
                ending = "not taken (" + mark.routedAt() + " sent the run another way)";
            }
        }

        synchronized PortLog log() {
            return new PortLog(pieces, ending, taken, packets);
        }
    }
}
