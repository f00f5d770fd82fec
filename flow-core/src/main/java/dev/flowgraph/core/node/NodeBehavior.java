package dev.flowgraph.core.node;

import dev.flowgraph.core.run.Packet;

/**
 * A node while its flow runs. {@link #receive} is called on the node's own serial mailbox, one packet at a
 * time and in order, so implementations need no locks for state touched only there. Slow work (generation,
 * HTTP calls) goes to {@link NodeContext#workers()} and must stop when its run is cancelled.
 */
public interface NodeBehavior extends AutoCloseable {

    /** Prepares the node when the flow starts (load a model, bind a port). A failure stops the flow from starting. */
    default void start() throws Exception {
    }

    /**
     * Every node has started and the flow runs. Called once per node and flow, after every node's {@link #start},
     * on the thread that starts the flow, which waits for it: the API element warms its request path here before it
     * reports ready. A failure stops the flow from starting.
     */
    default void flowStarted() throws Exception {
    }

    /**
     * Handles one packet that arrived on {@code inputPort}. A thrown exception fails the packet's run: the
     * runtime sends a {@link Packet.Failure} on every output of this node.
     */
    void receive(String inputPort, Packet packet) throws Exception;

    /** The flow is stopping: end what this node started (the Initiator ends its keep-alive here). */
    default void stop() {
    }

    /** Frees resources; called after every node has stopped. */
    @Override
    default void close() throws Exception {
    }
}
