package dev.flowgraph.core.chat;

/**
 * A node that answers conversations with a model, as other nodes and the API element see it (found with
 * NodeContext#nodesOf): which answer shapes it can enforce.
 */
public interface ChatModel {

    /** The node's id in its flow, for messages. */
    String modelNodeId();

    /**
     * Why it cannot make its answer follow {@code format} (a request's {@code response_format}), or null when it can.
     */
    String refuses(ResponseFormat format);
}
