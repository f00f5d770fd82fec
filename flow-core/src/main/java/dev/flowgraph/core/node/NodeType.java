package dev.flowgraph.core.node;

/**
 * A kind of node, registered through {@link java.util.ServiceLoader} (file
 * {@code META-INF/services/dev.flowgraph.core.node.NodeType}). One class per node type: its descriptor and
 * the factory of its behaviour.
 */
public interface NodeType {

    NodeDescriptor descriptor();

    /** Makes the running form of one node of this type; called once per node when the flow starts. */
    NodeBehavior create(NodeContext context);
}
