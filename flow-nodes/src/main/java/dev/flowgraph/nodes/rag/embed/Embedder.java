package dev.flowgraph.nodes.rag.embed;

import dev.flowgraph.core.doc.EmbeddingService;

import dev.flowgraph.core.run.Run;

import java.util.List;

/** Turns texts into vectors with one embedding model. Implementations are safe to call from several threads. */
public interface Embedder extends AutoCloseable {

    /** Names the model, so an index can refuse vectors from another one. */
    String model();

    /**
     * One vector per text, in the same order; stops early when {@code run} is cancelled.
     *
     * @throws Exception with a message fit to show the user (a remote service's error, a model that failed)
     */
    List<float[]> embed(List<String> texts, Run run) throws Exception;

    /** Like {@link #embed}, with the tokens the texts made (one pass when the model counts as it embeds). */
    default EmbeddingService.Embedded embedCounting(List<String> texts, Run run) throws Exception {
        List<float[]> vectors = embed(texts, run);
        int tokens = 0;
        for (String text : texts) {
            tokens += countTokens(text);
        }
        return new EmbeddingService.Embedded(vectors, tokens);
    }

    /**
     * How many tokens this embedder's tokenizer makes of {@code text}. One that cannot tell (a remote service that
     * counts on its side) estimates: a token for about every four characters, as OpenAI's guide reckons.
     */
    default int countTokens(String text) {
        return (text.length() + 3) / 4;
    }

    @Override
    default void close() {
    }
}
