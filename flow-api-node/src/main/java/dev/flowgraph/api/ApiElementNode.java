package dev.flowgraph.api;

import dev.flowgraph.api.http.ApiServer;
import dev.flowgraph.api.http.ServerConfig;
import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.Outlet;
import dev.flowgraph.core.run.FlowEntry;
import dev.flowgraph.core.run.Packet;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.core.value.Values;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The running API element: the flow's entry (in-process and over HTTP) and the sink of its answers. */
public final class ApiElementNode implements NodeBehavior, FlowEntry {
    private final NodeContext context;
    private final Outlet requests;
    private final Duration timeout;
    private final Map<Run, Submitted> listeners = new ConcurrentHashMap<>();
    private volatile boolean alive;
    /** Every node of the flow has started (its models loaded): set once, before the warm-up. */
    private volatile boolean started;
    private ApiServer server;
    private volatile java.util.List<dev.flowgraph.core.chat.ModelSlot> slots;

    ApiElementNode(NodeContext context) {
        this.context = context;
        this.requests = context.output(ApiElement.REQUEST);
        int seconds = context.settings().integer("timeoutSeconds");
        this.timeout = seconds == 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
    }

    @Override
    public void start() throws Exception {
        if (context.options().serveNetwork()) {
            server = ApiServer.start(ServerConfig.from(context.settings(), context.flowName()), this);
        }
    }

    @Override
    public String nodeId() {
        return context.nodeId();
    }

    /**
     * Whether the flow runs: every node has started and the keep-alive is on; requests are taken only then. The
     * keep-alive alone is not enough: the Initiator may turn it on while a model node after it is still loading.
     */
    public boolean isAlive() {
        return alive && started;
    }

    /** True until every node of the flow has started (then the flow runs, or has stopped). */
    public boolean isStarting() {
        return !started;
    }

    /**
     * Why the flow cannot hold its answers to {@code format} (a request's response_format), naming the model node that
     * cannot; null when every model node of the flow can.
     */
    public String refuses(dev.flowgraph.core.chat.ResponseFormat format) {
        var models = context.nodesOf(dev.flowgraph.core.chat.ChatModel.class);
        if (models.isEmpty()) {
            return "response_format needs a model node that can enforce it (a Local LLM or an OpenAI-compatible chat "
                    + "node); flow '" + context.flowName() + "' has no model node";
        }
        for (var model : models) {
            String why = model.refuses(format);
            if (why != null) {
                return "the flow's model node '" + model.modelNodeId() + "' cannot enforce response_format "
                        + format.kind().wireName() + ": " + why;
            }
        }
        return null;
    }

    /** The flow's nodes that embed text (Embeddings, Retrieve), for /v1/embeddings and /v1/models. */
    public java.util.List<dev.flowgraph.core.doc.EmbeddingService> embedders() {
        return context.nodesOf(dev.flowgraph.core.doc.EmbeddingService.class);
    }

    /** The flow's nodes that retrieve passages from an index (Retrieve), for /v1/retrieve. */
    public java.util.List<dev.flowgraph.core.doc.RetrievalService> retrievers() {
        return context.nodesOf(dev.flowgraph.core.doc.RetrievalService.class);
    }

    /** The flow's nodes whose local model can be swapped or unloaded (LocalLab's model routes). */
    public java.util.List<dev.flowgraph.core.chat.ModelSlot> modelSlots() {
        java.util.List<dev.flowgraph.core.chat.ModelSlot> found = slots;
        if (found == null) {
            found = context.nodesOf(dev.flowgraph.core.chat.ModelSlot.class);
            slots = found; // the flow's nodes do not change while it runs
        }
        return found;
    }

    /** The node of the flow whose model is unloaded (its runs would fail), or null when every model is loaded. */
    public String unloadedModelNode() {
        for (var slot : modelSlots()) {
            if (!slot.isLoaded()) {
                return slot.modelNodeId();
            }
        }
        return null;
    }

    /** The flow's description ("" when none). */
    public String flowDescription() {
        return context.flowDescription();
    }

    /** The node of the flow loading a new model now, or null. */
    public String loadingModelNode() {
        for (var slot : modelSlots()) {
            if (slot.isLoading()) {
                return slot.modelNodeId();
            }
        }
        return null;
    }

    /** Where the flow keeps conversations and run history. */
    public dev.flowgraph.core.store.Store store() {
        return context.store();
    }

    /** The HTTP server, or null when the flow runs in-process only. */
    public ApiServer server() {
        return server;
    }

    /** Warms the server's request path (when its settings ask for it) before the flow reports ready. */
    @Override
    public void flowStarted() {
        started = true;
        if (server != null && alive) {
            server.warmUp();
        }
    }

    @Override
    public Run submit(ChatRequest request, Consumer<Packet> listener) {
        requireAlive();
        return launch(request, listener, context.newRun(timeout, request.session()));
    }

    /**
     * Like {@link #submit}, for the server's own warm-up: an internal run (never recorded, shown or counted) that is
     * cancelled after {@code limit}.
     */
    public Run submitInternal(ChatRequest request, Consumer<Packet> listener, Duration limit) {
        requireAlive();
        return launch(request, listener, context.newInternalRun(limit));
    }

    private void requireAlive() {
        if (!alive) {
            throw new IllegalStateException("the flow is not running (its Initiator is stopped)");
        }
    }

    /**
     * A run in flight: who hears its packets, and its answer so far (for {@link Run#finish}), kept only when there is a
     * store to keep it in (a conversation's turn, run history): else the token path does no work for it.
     */
    private record Submitted(Consumer<Packet> listener, StringBuilder answer) {
        /** Finishes the run with {@code ending}, then hands the ending on: the finish hooks see the outcome first. */
        void end(Packet ending) {
            ending.run().finish(dev.flowgraph.core.run.RunOutcome.of(ending, answer == null ? "" : answer.toString()));
            listener.accept(ending);
        }
    }

    private Run launch(ChatRequest request, Consumer<Packet> listener, Run run) {
        listeners.put(run, new Submitted(listener, context.store().isEnabled() ? new StringBuilder() : null));
        // A cancelled run's deltas are dropped upstream: tell its listener now (a deadline, the flow stopping)
        // rather than when the last node notices.
        run.onCancel(() -> context.onMailbox(() -> {
            Submitted cancelled = listeners.remove(run);
            if (cancelled != null) {
                cancelled.end(new Packet.Failure(run, context.nodeId(), "the run was cancelled: " + run.cancelReason()));
            }
        }));
        requests.emit(new Packet.Delta(run, request));
        requests.emit(Packet.End.of(run));
        return run;
    }

    @Override
    public void receive(String inputPort, Packet packet) {
        if (ApiElement.KEEP_ALIVE.equals(inputPort)) {
            alive = packet instanceof Packet.Delta;
            return;
        }
        Submitted submitted = packet.isTerminal() ? listeners.remove(packet.run()) : listeners.get(packet.run());
        if (submitted != null) {
            if (packet instanceof Packet.Delta d) {
                // JSON (a Gather, an HTTP answer) goes to the client as its JSON text; text, the token path, as it is.
                String text = d.value() instanceof String s ? s : Values.text(d.value());
                if (submitted.answer() != null) {
                    submitted.answer().append(text);
                }
                submitted.listener().accept(d.value() instanceof String ? packet : new Packet.Delta(d.run(), text));
            } else {
                submitted.end(packet);
            }
        }
        if (packet.isTerminal()) {
            context.runFinished(packet.run());
        }
    }

    /** Cancels every run in flight (their clients get an error event); returns how many there were. */
    public int cancelRuns(String reason) {
        int n = 0;
        for (Run run : listeners.keySet()) {
            run.cancel(reason);
            n++;
        }
        return n;
    }

    @Override
    public void stop() {
        alive = false;
    }

    @Override
    public void close() {
        // Runs still streaming hear that the flow stopped, so their clients get an ending instead of a hang.
        for (Run run : listeners.keySet()) {
            Submitted submitted = listeners.remove(run);
            if (submitted != null) {
                submitted.end(new Packet.Failure(run, context.nodeId(), "the flow stopped"));
            }
        }
        if (server != null) {
            server.stop();
        }
    }
}
