package dev.flowgraph.nodes.llm;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.PoolingType;
import dev.flowgraph.core.run.Run;
import dev.flowgraph.nodes.rag.embed.Embedder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Embeddings from a local GGUF model through llama.cpp. The pooling type is always set explicitly and tried out in a
 * separate process first ({@link PoolingProbe}): with a pooling type the model cannot take, llama.cpp aborts the
 * whole process, and that must not be ours.
 */
public final class GgufEmbedder implements Embedder {
    /** Tokens one text may have; longer texts are cut by llama.cpp. */
    static final int CONTEXT = 2048;

    private final LlamaModel model;
    private final String name;

    private GgufEmbedder(LlamaModel model, String name) {
        this.model = model;
        this.name = name;
    }

    /**
     * @param tried where the model was looked for, for the message when it is missing
     * @param pooling {@code last}, {@code mean}, {@code cls} or {@code none}
     */
    public static GgufEmbedder open(Path modelPath, List<Path> tried, String pooling) {
        if (!Files.isRegularFile(modelPath)) {
            throw new IllegalStateException(LocalModel.missingModelMessage(tried));
        }
        PoolingProbe.check(modelPath, pooling);
        return new GgufEmbedder(load(modelPath, pooling), "gguf:" + modelPath.getFileName() + " pooling " + pooling);
    }

    static LlamaModel load(Path modelPath, String pooling) {
        LlamaNative.load();
        ModelParameters p = new ModelParameters()
                .setModel(modelPath.toString())
                .enableEmbedding()
                .setPoolingType(poolingType(pooling))
                .setCtxSize(CONTEXT)
                .setBatchSize(CONTEXT)
                .setUbatchSize(CONTEXT) // a whole text must fit in one micro-batch to be pooled
                .setThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        return new LlamaModel(LlamaNative.logOptions(p));
    }

    static PoolingType poolingType(String pooling) {
        return PoolingType.valueOf(pooling.toUpperCase(Locale.ROOT));
    }

    @Override
    public String model() {
        return name;
    }

    @Override
    public List<float[]> embed(List<String> texts, Run run) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        // One llama.cpp context: texts go through it one at a time.
        synchronized (model) {
            for (String text : texts) {
                if (run.isCancelled()) {
                    throw new IllegalStateException("embedding cancelled (" + run.cancelReason() + ")");
                }
                vectors.add(model.embed(text));
            }
        }
        return vectors;
    }

    @Override
    public int countTokens(String text) {
        return model.encode(text).length;
    }

    @Override
    public void close() {
        model.close();
    }
}
