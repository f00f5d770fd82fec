package dev.flowgraph.nodes.rag.embed;

import dev.flowgraph.core.doc.EmbeddingService;
import dev.flowgraph.core.run.Run;

import java.util.List;

/**
 * A node that offers its {@link Embedder} to the API element's /v1/embeddings as it is: the embedder is safe to share,
 * so a client's texts are embedded on the caller's thread beside the node's own work.
 */
public interface EmbedderService extends EmbeddingService {

    /** The node's embedder, once it has started. */
    Embedder embedder();

    @Override
    default String embeddingModel() {
        return embedder().model();
    }

    @Override
    default Embedded embedTexts(List<String> texts, Run run) throws Exception {
        return embedder().embedCounting(texts, run);
    }
}
