package dev.flowgraph.core.value;

import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;

import java.util.HashMap;
import java.util.Map;

/**
 * The input of a node that needs a run's whole value (a parser, a splitter, an HTTP call): keeps each run's stream
 * until it ends, then hands on the text (the pieces joined) or the one value that came; a failure upstream is passed
 * straight on. Used on the node's mailbox only.
 */
public final class WholeInput {
    private final Map<Run, Object> pending = new HashMap<>();
    private final Outlet failures;
    private final Handler handler;

    /** Called on the mailbox with a run's whole value and the end that closed its stream. */
    @FunctionalInterface
    public interface Handler {
        void whole(Run run, Object value, Packet.End end) throws Exception;
    }

    /** @param failures where upstream failures go on (the node's main output) */
    public WholeInput(Outlet failures, Handler handler) {
        this.failures = failures;
        this.handler = handler;
    }

    public void receive(Packet packet) throws Exception {
        Run run = packet.run();
        if (packet instanceof Packet.Delta delta) {
            Object before = pending.get(run);
            pending.put(run, before instanceof String s && delta.value() instanceof String piece
                    ? s + piece : delta.value());
        } else if (packet instanceof Packet.End end) {
            Object value = pending.remove(run);
            handler.whole(run, value == null ? "" : value, end);
        } else {
            pending.remove(run);
            failures.emit(packet);
        }
    }
}
