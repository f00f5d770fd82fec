package dev.flowgraph.core.run;

import dev.flowgraph.core.chat.ChatRequest;

import java.util.function.Consumer;

/**
 * A node through which requests enter a running flow and answers leave it (the API element). The network
 * server and {@code flow run} both go through here.
 */
public interface FlowEntry {

    String nodeId();

    /**
     * Starts a run with {@code request}. Every packet that comes back for the run is handed to {@code listener}
     * (deltas, then an end or a failure), on the entry node's mailbox: the listener must be quick.
     *
     * @throws IllegalStateException when the flow is not running (its keep-alive has ended)
     */
    Run submit(ChatRequest request, Consumer<Packet> listener);
}
