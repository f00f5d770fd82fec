package dev.flowgraph.core.validate;

/**
 * One thing wrong with a flow.
 *
 * @param nodeId  the node it concerns (the editor marks it), or null for the flow as a whole
 * @param subject the port, setting or wire concerned, or null
 */
public record Problem(ProblemKind kind, String nodeId, String subject, String message) {

    /** Shown like any problem, but the flow still starts (see {@link ProblemKind#isWarning()}). */
    public boolean isWarning() {
        return kind.isWarning();
    }

    @Override
    public String toString() {
        return (isWarning() ? "warning: " : "") + (nodeId == null ? "" : "node '" + nodeId + "': ") + message;
    }
}
