package dev.flowgraph.nodes.rag;

import dev.flowgraph.core.doc.RetrievalService;
import dev.flowgraph.nodes.rag.embed.EmbedderService;

import dev.flowgraph.core.chat.ChatRequest;
import dev.flowgraph.core.doc.Document;
import dev.flowgraph.core.node.NodeBehavior;
import dev.flowgraph.core.node.NodeContext;
import dev.flowgraph.core.node.NodeDescriptor;
import dev.flowgraph.core.node.NodeType;
import dev.flowgraph.core.node.SettingSpec;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.nodes.rag.embed.Embedder;
import dev.flowgraph.nodes.rag.embed.EmbedderSettings;
import dev.flowgraph.nodes.rag.embed.Embedders;
import dev.flowgraph.nodes.rag.index.IndexInfo;
import dev.flowgraph.nodes.rag.index.VectorIndex;

import java.util.List;

/** Finds the passages of a local vector index closest to the question. */
public final class Retrieve implements NodeType {
    public static final String TYPE = "rag.retrieve";

    private static final NodeDescriptor DESCRIPTOR = EmbedderSettings.addTo(NodeDescriptor.builder(TYPE, "Retrieve")
            .category("Retrieval")
            .description("Embeds the last user message and returns the closest passages of a vector index (up to "
                    + "'limit', cosine similarity at least 'scoreThreshold'), like LlamaEdge's /v1/retrieve. "
                    + "Embed with the same settings the index was built with.")
            .input(RetrievalNode.CHAT_IN)
            .output(RetrievalNode.CHAT_OUT)
            .output(RetrievalNode.DOCUMENTS_OUT)
            .setting(VectorStore.DIRECTORY)
            .setting(SettingSpec.integer("limit", 5).range(1, 1000)
                    .help("The most passages returned."))
            .setting(SettingSpec.number("scoreThreshold", 0.4).range(-1, 1)
                    .help("Passages less similar than this (cosine similarity) are left out.")))
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public NodeBehavior create(NodeContext context) {
        return new Behaviour(context);
    }

    /** Retrieves for the flow's runs, and for clients of the API element's /v1/retrieve and /v1/embeddings. */
    private static final class Behaviour extends RetrievalNode implements RetrievalService, EmbedderService {
        private final int limit;
        private final double threshold;
        private Embedder embedder;
        private VectorIndex index;

        Behaviour(NodeContext context) {
            super(context);
            this.limit = context.settings().integer("limit");
            this.threshold = context.settings().number("scoreThreshold");
        }

        @Override
        public void start() throws Exception {
            index = VectorIndex.open(context.settings().path("directory"));
            embedder = Embedders.create(context.settings());
            if (!index.info().model().equals(embedder.model())) {
                throw new IllegalStateException("the index at " + index.path() + " was built with "
                        + index.info() + ", but this node embeds questions with " + embedder.model()
                        + ": set the same embedder as the ingestion flow");
            }
        }

        @Override
        protected List<Document> retrieve(Run run, ChatRequest request) throws Exception {
            return retrieve(question(request), limit, threshold, run);
        }

        @Override
        public List<Document> retrieve(String question, int most, double scoreThreshold, Run run) throws Exception {
            float[] query = embedder.embed(List.of(question), run).get(0);
            return index.search(query, new IndexInfo(embedder.model(), query.length), most, scoreThreshold);
        }

        @Override
        public int limit() {
            return limit;
        }

        @Override
        public double scoreThreshold() {
            return threshold;
        }

        @Override
        public Embedder embedder() {
            return embedder;
        }

        @Override
        public void close() throws Exception {
            if (embedder != null) {
                embedder.close();
            }
            if (index != null) {
                index.close();
            }
        }
    }
}
