package dev.flowgraph.core.chat;

import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The chat input of a node that answers conversations (local or remote model): keeps each run's request until its
 * stream ends, then hands it on; a failure upstream is passed straight on. Used on the node's mailbox only.
 */
public final class ChatInput {
    private final Map<Run, ChatRequest> pending = new HashMap<>();
    private final Outlet out;
    private final BiConsumer<Run, ChatRequest> answer;

    /**
     * @param out    where failures go on (the node's answer output)
     * @param answer called with each complete request, on the mailbox: start the work elsewhere and return
     */
    public ChatInput(Outlet out, BiConsumer<Run, ChatRequest> answer) {
        this.out = out;
        this.answer = answer;
    }

    public void receive(Packet packet) {
        if (packet instanceof Packet.Delta delta) {
            if (!(delta.value() instanceof ChatRequest request)) {
                throw new IllegalArgumentException("expected a chat request, got " + delta.value().getClass().getSimpleName());
            }
            pending.put(delta.run(), request);
        } else if (packet instanceof Packet.End end) {
            ChatRequest request = pending.remove(end.run());
            if (request == null) {
                throw new IllegalArgumentException("the input stream ended without a chat request");
            }
            answer.accept(end.run(), request);
        } else {
            pending.remove(packet.run());
            out.emit(packet);
        }
    }
}
