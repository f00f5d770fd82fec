package dev.flowgraph.nodes.llm;

import de.kherud.llama.LlamaModel;

import java.nio.file.Path;

/** A child process for LlamaLogTest: llama.cpp's log caught as in a flow, then a pooling that aborts the process. */
public final class AbortingChild {
    private AbortingChild() {
    }

    public static void main(String[] args) {
        LlamaNative.load();
        try (LlamaModel model = GgufEmbedder.load(Path.of(args[0]), "mean")) {
            model.embed("This text makes llama.cpp abort with the test model.");
        }
        System.exit(0); // not reached when llama.cpp aborts
    }
}
