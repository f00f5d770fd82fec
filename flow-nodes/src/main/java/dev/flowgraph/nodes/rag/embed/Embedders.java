package dev.flowgraph.nodes.rag.embed;

import dev.flowgraph.core.node.NodeSettings;
import dev.flowgraph.nodes.llm.GgufEmbedder;
import dev.flowgraph.nodes.remote.RemoteEmbedder;

/** Makes the embedder a node's {@link EmbedderSettings} describe. */
public final class Embedders {
    private Embedders() {
    }

    /** Loads or connects the embedder; slow for local models, so call it when the flow starts. */
    public static Embedder create(NodeSettings settings) throws Exception {
        return switch (settings.string("embedder")) {
            case EmbedderSettings.GGUF -> {
                if (settings.string("embeddingModelPath").isBlank()) {
                    throw new IllegalStateException("setting 'embeddingModelPath' is required with embedder 'gguf'");
                }
                yield GgufEmbedder.open(settings.path("embeddingModelPath"),
                        settings.pathCandidates("embeddingModelPath"), settings.string("pooling"));
            }
            case EmbedderSettings.OPENAI -> new RemoteEmbedder(settings.string("embeddingsUrl"),
                    settings.string("embeddingModel"), settings.string("embeddingApiKey"));
            default -> new MiniLmEmbedder();
        };
    }

    public static int batchSize(NodeSettings settings) {
        return settings.integer("batchSize");
    }
}
