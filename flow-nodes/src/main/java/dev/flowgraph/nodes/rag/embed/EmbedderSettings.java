package dev.flowgraph.nodes.rag.embed;

import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.SettingSpec;

import java.util.List;

/**
 * The settings that choose and configure an embedding model. Declared once here and added to every node that
 * embeds (the embeddings node, the retrieve node), so documents and queries are embedded alike.
 */
public final class EmbedderSettings {
    public static final String BUILTIN = "builtin";
    public static final String GGUF = "gguf";
    public static final String OPENAI = "openai";

    static final List<SettingSpec> SPECS = List.of(
            SettingSpec.choice("embedder", BUILTIN, BUILTIN, GGUF, OPENAI)
                    .help("builtin: all-MiniLM-L6-v2 in-process (384 dimensions, no download). "
                            + "gguf: a local GGUF model through llama.cpp. "
                            + "openai: a remote OpenAI-compatible /v1/embeddings (LlamaEdge and others)."),
            SettingSpec.path("embeddingModelPath")
                    .help("gguf: the GGUF model file."),
            SettingSpec.choice("pooling", "last", "last", "mean", "cls", "none")
                    .help("gguf: how token vectors become one vector. Must suit the model (embedding models say "
                            + "which; the test model needs 'last'). A pooling type the model cannot take is "
                            + "refused when the flow starts."),
            SettingSpec.string("embeddingsUrl", "http://localhost:8080/v1").matching("https?://\\S+")
                    .help("openai: the service's base URL; /embeddings is added."),
            SettingSpec.string("embeddingModel", "")
                    .help("openai: the model name sent with each request (LlamaEdge wants it)."),
            SettingSpec.string("embeddingApiKey", null).asSecret()
                    .help("openai: sent as a Bearer token when set. Write ${env:NAME} to keep it out of the flow file."),
            SettingSpec.integer("batchSize", 32).range(1, 2048)
                    .help("How many texts go to the model (or the service) at once."));

    private EmbedderSettings() {
    }

    /** Adds the embedder settings to a node type's declaration. */
    public static NodeDescriptor.Builder addTo(NodeDescriptor.Builder descriptor) {
        SPECS.forEach(descriptor::setting);
        return descriptor;
    }
}
