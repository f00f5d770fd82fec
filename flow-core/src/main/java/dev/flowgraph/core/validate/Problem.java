package dev.flowgraph.core.validate;

/**
 * One thing wrong with a flow.
 *
 * @param nodeId  the node it concerns (the editor marks it), or null for the flow as a whole
 * @param subject the port, setting or wire concerned, or null
 */
public record Problem(ProblemKind kind, String nodeId, String subject, String message) {

    @Override
    public String toString() {
        return (nodeId == null ? "" : "node '" + nodeId + "': ") + message;
    }
}
