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
    ILLEGAL_CYCLE
}
