package dev.flowgraph.core.validate;

public enum ProblemKind {
    DUPLICATE_NODE_ID,
    UNKNOWN_NODE_TYPE,
    /** A wire names a node that is not in the flow. */
    UNKNOWN_NODE,
    UNKNOWN_PORT,
    UNKNOWN_SETTING,
    INVALID_SETTING,
    TYPE_MISMATCH,
    REQUIRED_INPUT_UNWIRED,
    /** An input that must come from certain node types (the API element's keep-alive) is wired from another. */
    WRONG_SOURCE_TYPE,
    /** A cycle that does not pass through a loop-boundary node. */
    ILLEGAL_CYCLE,
    /**
     * A routing node's output is not wired while its other branches lead to an entry node: runs sent there reach that
     * node by not-taken marks only and end with "no branch answered". A warning: the flow still runs.
     */
    UNANSWERED_BRANCH(true),
    /**
     * In a flow without an entry node (an ingestion), a node the work reaches sends it nowhere: its outputs are not
     * wired, so its runs never reach a node that ends them. A warning: {@code flow run} gives up after its timeout.
     */
    RUN_NEVER_ENDS(true);

    private final boolean warning;

    ProblemKind() {
        this(false);
    }

    ProblemKind(boolean warning) {
        this.warning = warning;
    }

    /** A warning is shown like any problem but does not stop the flow from starting. */
    public boolean isWarning() {
        return warning;
    }
}
