package dev.flowgraph.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flowgraph.core.run.Run;

import java.util.concurrent.CompletableFuture;

/**
 * Something an agent's model may call: a name, a description, the JSON Schema of its arguments, and the call. Tool
 * nodes send theirs over TOOL wires when the flow starts, on the flow's own run.
 */
public interface Tool {

    /** How the model names it: letters, digits, '_' and '-'. */
    String name();

    /** What it does, for the model. */
    String description();

    /** The JSON Schema of its arguments: an object schema. */
    JsonNode parameters();

    /**
     * Calls it for {@code run} (cancelled with it) with arguments that match {@link #parameters()}; completes with the
     * result as text, or exceptionally with a message fit for the model.
     */
    CompletableFuture<String> call(JsonNode arguments, Run run);
}
