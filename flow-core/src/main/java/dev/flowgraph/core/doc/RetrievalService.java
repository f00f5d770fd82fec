package dev.flowgraph.core.doc;

import dev.flowgraph.core.run.Run;

import java.util.List;

/**
 * A node that finds the passages closest to a question in its vector index (a Retrieve node), offered to clients:
 * the API element's {@code POST /v1/retrieve} finds these among the flow's nodes.
 */
public interface RetrievalService extends EmbeddingService {

    /** The most passages the node returns; a request may ask for fewer, never more. */
    int limit();

    /** The least similarity (cosine) a passage needs. */
    double scoreThreshold();

    /**
     * The passages for {@code question}, best first, each with its score.
     *
     * @throws Exception with a message fit to show the client
     */
    List<Document> retrieve(String question, int limit, double scoreThreshold, Run run) throws Exception;
}
