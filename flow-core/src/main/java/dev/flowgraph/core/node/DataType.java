package dev.flowgraph.core.node;

/** What travels over a wire. An input of type {@link #ANY} accepts every output type. */
public enum DataType {
    /** The Initiator's keep-alive: one delta when the flow starts, the end when it stops. */
    SIGNAL,
    /** A chat request: the conversation's messages and per-run generation options. */
    CHAT,
    /** Streamed text: a delta per piece of text, then the end with usage. */
    TEXT,
    /** Documents (loaded files, their chunks, retrieved passages): a delta per document, then the end. */
    DOCUMENTS,
    /** Embedded documents on their way into a vector index: a delta per document with its vector, then the end. */
    VECTORS,
    /**
     * A structured value (a Jackson {@code JsonNode}): switch inputs, loop lists, HTTP answers, parsed output. One
     * delta per value, then the end. TEXT and JSON wire into each other: text is parsed, a value written as JSON.
     */
    JSON,
    /**
     * Tools an agent may call ({@link dev.flowgraph.core.tool.Tool}): a tool node sends one delta with its tool on the
     * flow's own run when the flow starts, and the end when it stops. Every wire into a TOOL input brings its tool.
     */
    TOOL,
    ANY;

    /** Whether an input of this type may be wired to an output of {@code source} type. */
    public boolean accepts(DataType source) {
        return this == ANY || source == ANY || this == source
                || (this == TEXT && source == JSON) || (this == JSON && source == TEXT);
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
