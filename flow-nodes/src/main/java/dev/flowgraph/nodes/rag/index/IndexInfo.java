package dev.flowgraph.nodes.rag.index;

import java.util.Map;

/**
 * What an index records about its vectors, in each commit: the embedding model that made them and their dimension.
 * Vectors of another model mean nothing next to these, so the index refuses them.
 */
public record IndexInfo(String model, int dimension) {
    static final String MODEL = "flowgraph.embedding.model";
    static final String DIMENSION = "flowgraph.embedding.dimension";

    static IndexInfo from(Map<String, String> commitData) {
        String model = commitData.get(MODEL);
        String dimension = commitData.get(DIMENSION);
        return model == null || dimension == null ? null : new IndexInfo(model, Integer.parseInt(dimension));
    }

    Map<String, String> commitData() {
        return Map.of(MODEL, model, DIMENSION, Integer.toString(dimension));
    }

    /** @throws IllegalStateException saying how to fix it when vectors of {@code other} do not belong here */
    void requireSame(IndexInfo other, String what, Object where) {
        if (!equals(other)) {
            throw new IllegalStateException("the index at " + where + " holds vectors of " + this + "; " + what
                    + " embedded with " + other + ". Use the same embedder, or ingest into another directory "
                    + "(or delete this one to rebuild it).");
        }
    }

    @Override
    public String toString() {
        return model + " (" + dimension + " dimensions)";
    }
}
