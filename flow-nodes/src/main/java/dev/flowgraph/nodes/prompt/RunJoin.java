package dev.flowgraph.nodes.prompt;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins, per run, a conversation arriving on {@code chat} with the documents arriving on {@code documents}: when both
 * streams have ended, the combined request goes out on {@code chat}. A failure on either side goes out once, at once.
 * Used on the mailbox only.
 */
final class RunJoin implements NodeBehavior {
    private final Outlet out;
    private final Combiner combine;
    private final Map<Run, Pending> pending = new HashMap<>();

    /** Makes the request that goes on from a run's conversation and documents. */
    @FunctionalInterface
    interface Combiner {
        ChatRequest combine(Run run, ChatRequest request, List<Document> documents);
    }

    RunJoin(NodeContext context, Combiner combine) {
        this.out = context.output("chat");
        this.combine = combine;
    }

    private static final class Pending {
        ChatRequest request;
        final List<Document> documents = new ArrayList<>();
        boolean chatEnded;
        boolean documentsEnded;
        boolean failed;
    }

    @Override
    public void receive(String inputPort, Packet packet) {
        Run run = packet.run();
        Pending p = pending.computeIfAbsent(run, r -> new Pending());
        boolean chat = inputPort.equals("chat");
        if (packet instanceof Packet.Delta delta) {
            if (chat && delta.value() instanceof ChatRequest request) {
                p.request = request;
            } else if (!chat && delta.value() instanceof Document doc) {
                p.documents.add(doc);
            } else {
                throw new IllegalArgumentException("unexpected " + delta.value().getClass().getSimpleName()
                        + " on input '" + inputPort + "'");
            }
            return;
        }
        if (chat) {
            p.chatEnded = true;
        } else {
            p.documentsEnded = true;
        }
        boolean bothEnded = p.chatEnded && p.documentsEnded;
        if (bothEnded) {
            pending.remove(run);
        }
        if (packet instanceof Packet.Failure || (packet instanceof Packet.End end && Packet.End.CANCELLED.equals(end.finishReason()))) {
            if (!p.failed) {
                p.failed = true;
                out.emit(packet);
            }
        } else if (bothEnded && !p.failed) {
            if (p.request == null) {
                throw new IllegalArgumentException("the chat input ended without a conversation");
            }
            out.emit(new Packet.Delta(run, combine.combine(run, p.request, p.documents)));
            out.emit(Packet.End.of(run));
        }
    }
}
