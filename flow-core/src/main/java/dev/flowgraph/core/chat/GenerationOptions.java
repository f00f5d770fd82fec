package dev.flowgraph.core.chat;

import java.util.List;

/**
 * Sampling settings a request asks for; each one that is set overrides the LLM node's setting for that run
 * only. Null means "as the node is set".
 */
public record GenerationOptions(Integer maxTokens, Double temperature, Double topP, List<String> stop, Long seed,
                                Double presencePenalty, Double frequencyPenalty) {
    public static final GenerationOptions NONE = new GenerationOptions(null, null, null, null, null, null, null);

    public GenerationOptions {
        stop = stop == null ? null : List.copyOf(stop);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }
}
