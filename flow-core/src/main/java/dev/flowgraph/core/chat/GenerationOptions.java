package dev.flowgraph.core.chat;

import java.util.List;

/**
 * Sampling settings a request asks for; each one that is set overrides the LLM node's setting for that run
 * only. Null means "as the node is set".
 *
 * @param responseFormat the shape the answer must have (JSON, a schema), or null for the node's own setting
 */
public record GenerationOptions(Integer maxTokens, Double temperature, Double topP, List<String> stop, Long seed,
                                Double presencePenalty, Double frequencyPenalty, ResponseFormat responseFormat) {
    public static final GenerationOptions NONE = new GenerationOptions(null, null, null, null, null, null, null, null);

    public GenerationOptions {
        stop = stop == null ? null : List.copyOf(stop);
    }

    public GenerationOptions(Integer maxTokens, Double temperature, Double topP, List<String> stop, Long seed,
                             Double presencePenalty, Double frequencyPenalty) {
        this(maxTokens, temperature, topP, stop, seed, presencePenalty, frequencyPenalty, null);
    }

    public GenerationOptions withResponseFormat(ResponseFormat format) {
        return new GenerationOptions(maxTokens, temperature, topP, stop, seed, presencePenalty, frequencyPenalty, format);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }
}
