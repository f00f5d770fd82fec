package dev.flowgraph.core.run;

/**
 * Told when a node starts and finishes its part of a run, as it happens (the editor shows node states with it).
 * Called on the node's mailbox thread: return quickly.
 */
public interface NodeActivityListener {

    /** The node received the first packet of {@code run}. */
    void started(Run run, String nodeId);

    /** The node is done with {@code run}; {@code error} is its message when it failed the run, else null. */
    void ended(Run run, String nodeId, String error);
}
