package dev.flowgraph.core.doc;

import java.util.Objects;

/**
 * A document with its embedding: what travels on {@link dev.flowgraph.core.node.DataType#VECTORS} wires into a
 * vector index.
 *
 * @param model  the embedding model that made the vector; an index keeps vectors of one model only
 * @param vector the embedding, not to be changed once made
 */
public record EmbeddedDocument(Document document, String model, float[] vector) {
    public EmbeddedDocument {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(vector, "vector");
    }

    public int dimension() {
        return vector.length;
    }
}
