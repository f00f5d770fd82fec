package dev.flowgraph.core.doc;

import dev.flowgraph.core.run.Run;

import java.util.List;

/**
 * A node that embeds text (an Embeddings or Retrieve node), offered to clients as it embeds for its own work: the API
 * element's {@code POST /v1/embeddings} finds these among the flow's nodes.
 */
public interface EmbeddingService {

    /** The embedding model's name, as clients ask for it. */
    String embeddingModel();

    /**
     * One vector per text, in order, embedded together, with the tokens the embedder's own tokenizer made of them;
     * stops early when {@code run} is cancelled. Safe to call from several threads.
     *
     * @throws Exception with a message fit to show the client
     */
    Embedded embedTexts(List<String> texts, Run run) throws Exception;

    /** Vectors and the tokens they were made from. */
    record Embedded(List<float[]> vectors, int tokens) {
        public Embedded {
            vectors = List.copyOf(vectors);
        }
    }
}
