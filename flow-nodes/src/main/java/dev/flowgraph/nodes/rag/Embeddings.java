package dev.flowgraph.nodes.rag;

import dev.flowgraph.core.node.DataType;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.PortSpec;
import dev.flowgraph.nodes.rag.embed.EmbedderSettings;

/** Embeds documents in batches, for a vector index. */
public final class Embeddings implements NodeType {
    public static final String TYPE = "rag.embeddings";

    private static final NodeDescriptor DESCRIPTOR = EmbedderSettings.addTo(NodeDescriptor.builder(TYPE, "Embeddings")
            .category("Retrieval")
            .description("Embeds each document (a chunk) with the chosen model, in batches: built-in "
                    + "all-MiniLM-L6-v2, a local GGUF through llama.cpp, or a remote /v1/embeddings.")
            .input(PortSpec.required("documents", DataType.DOCUMENTS, "The documents to embed"))
            .output(PortSpec.output("vectors", DataType.VECTORS, "Each document with its vector, in order")))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new EmbeddingsNode(context);
    }
}
