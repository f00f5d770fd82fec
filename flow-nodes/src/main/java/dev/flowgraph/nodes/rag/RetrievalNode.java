package dev.flowgraph.nodes.rag;

import dev.flowgraph.core.chat.ChatInput;
import dev.flowgraph.core.chat.ChatMessage;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What every retrieval node does, wherever its passages come from (a local index, a LlamaEdge server): takes the
 * conversation, finds passages on a worker, and sends the conversation on unchanged beside the passages, with the
 * sources and scores noted in the run's trace.
 */
public abstract class RetrievalNode implements NodeBehavior {
    public static final PortSpec CHAT_IN = PortSpec.required("chat", DataType.CHAT, "The conversation to retrieve for");
    public static final PortSpec CHAT_OUT = PortSpec.output("chat", DataType.CHAT, "The conversation, unchanged");
    public static final PortSpec DOCUMENTS_OUT = PortSpec.output("documents", DataType.DOCUMENTS,
            "The passages found, best first, each with its source and score");

    protected final NodeContext context;
    private final Outlet chatOut;
    private final Outlet documentsOut;
    private final ChatInput chat;

    protected RetrievalNode(NodeContext context) {
        this.context = context;
        this.chatOut = context.output(CHAT_OUT.name());
        this.documentsOut = context.output(DOCUMENTS_OUT.name());
        this.chat = new ChatInput(context::emitAll, (run, request) -> context.workers().execute(() -> answer(run, request)));
    }

    /** The passages for the conversation, best first. */
    protected abstract List<Document> retrieve(Run run, ChatRequest request) throws Exception;

    @Override
    public void receive(String inputPort, Packet packet) {
        chat.receive(packet);
    }

    private void answer(Run run, ChatRequest request) {
        List<Document> found;
        try {
            found = retrieve(run, request);
        } catch (Exception e) {
            context.fail(run, e);
            return;
        }
        run.trace().note(context.nodeId(), "sources", found.isEmpty() ? "(none above the threshold)"
                : found.stream().map(RetrievalNode::describe).collect(Collectors.joining(", ")));
        chatOut.emit(new Packet.Delta(run, request));
        chatOut.emit(Packet.End.of(run));
        for (Document doc : found) {
            documentsOut.emit(new Packet.Delta(run, doc));
        }
        documentsOut.emit(Packet.End.of(run));
    }

    private static String describe(Document doc) {
        return doc.source() + (doc.score().isPresent()
                ? String.format(Locale.ROOT, " (%.3f)", doc.score().getAsDouble()) : "");
    }

    /** The text a question is looked up by: the last user message. */
    protected static String question(ChatRequest request) {
        return request.lastUserMessage().map(ChatMessage::content)
                .orElseThrow(() -> new IllegalArgumentException("the conversation has no user message to retrieve for"));
    }
}
