package dev.flowgraph.core.chat;

import java.util.List;

/**
 * Sampling settings a request asks for; each one that is set overrides the LLM node's setting for that run
 * only. Null means "as the node is set".
 *
 * @param responseFormat the shape the answer must have (JSON, a schema), or null for the node's own setting
 * @param topK           sample from the K likeliest tokens only (LocalLab's {@code top_k})
 * @param repeatPenalty  how much repeating a token is penalised (LocalLab's {@code repetition_penalty})
 */
public record GenerationOptions(Integer maxTokens, Double temperature, Double topP, List<String> stop, Long seed,
                                Double presencePenalty, Double frequencyPenalty, ResponseFormat responseFormat,
                                Integer topK, Double repeatPenalty) {
    public static final GenerationOptions NONE = new GenerationOptions(null, null, null, null, null, null, null, null,
            null, null);

    public GenerationOptions {
        stop = stop == null ? null : List.copyOf(stop);
    }

    public GenerationOptions(Integer maxTokens, Double temperature, Double topP, List<String> stop, Long seed,
                             Double presencePenalty, Double frequencyPenalty) {
        this(maxTokens, temperature, topP, stop, seed, presencePenalty, frequencyPenalty, null, null, null);
    }

    public GenerationOptions withResponseFormat(ResponseFormat format) {
        return new GenerationOptions(maxTokens, temperature, topP, stop, seed, presencePenalty, frequencyPenalty, format,
                topK, repeatPenalty);
    }

    public GenerationOptions withMaxTokens(Integer tokens) {
        return new GenerationOptions(tokens, temperature, topP, stop, seed, presencePenalty, frequencyPenalty,
                responseFormat, topK, repeatPenalty);
    }

    /** These options with the sampler's top-k and repetition penalty (null: as the node is set). */
    public GenerationOptions withSampler(Integer topK, Double repeatPenalty) {
        return new GenerationOptions(maxTokens, temperature, topP, stop, seed, presencePenalty, frequencyPenalty,
                responseFormat, topK, repeatPenalty);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }
}
