package dev.flowgraph.core.chat;

import java.nio.file.Path;
import java.util.List;

/**
 * A node that runs a local model file and can change it while the flow runs (LocalLab's model management): load
 * another file, or unload it to free the memory. Runs in flight finish on the model they started with; runs that
 * start while a new model loads wait for it. Implemented by the Local LLM node; found by the API element through
 * {@code NodeContext.nodesOf}.
 */
public interface ModelSlot {

    /** A model file as its GGUF header describes it. */
    record ModelFile(String name, Path path, long bytes, String architecture, long contextLength) {
    }

    /** The node holding the slot. */
    String modelNodeId();

    /** The model loaded now (its file's header read); null while unloaded. */
    ModelFile current();

    /** Whether a new model is loading now (runs that start wait for it): cheap, asked for every request. */
    default boolean isLoading() {
        return false;
    }

    /** Whether a model is loaded: cheap, asked for every request. */
    default boolean isLoaded() {
        return current() != null;
    }

    /** The GGUF files beside the loaded (or configured) model, that {@link #load} can take. */
    List<ModelFile> available();

    /**
     * Loads {@code name} (a file of {@link #available()}) in place of the current model; returns once it serves.
     *
     * @throws IllegalArgumentException when there is no such file, or llama.cpp cannot load it (its reason); the
     *                                  model loaded before keeps serving
     */
    ModelFile load(String name);

    /** Frees the model; until the next {@link #load}, runs fail and the API answers 503 {@code model_unloaded}. */
    void unload();
}
