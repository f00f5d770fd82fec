package dev.flowgraph.core.chat;

/** Counts text in a model's tokens: offered by a node that holds a model (the Local LLM), found with NodeContext#nodesOf. */
public interface TokenCounter {

    /** How many tokens {@code text} is, or -1 when the model is not loaded (yet, or any more). */
    int countTokens(String text);
}
