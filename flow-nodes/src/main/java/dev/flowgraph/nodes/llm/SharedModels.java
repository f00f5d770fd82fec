package dev.flowgraph.nodes.llm;

import de.kherud.llama.LlamaModel;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models loaded in this process, shared by every Local LLM node that loads the same file with the same load
 * settings (a flow and its sub-flows, two branches of one flow): gigabytes of weights are loaded once, and closed
 * when the last node using them closes. Sampling settings stay each node's own.
 */
public final class SharedModels {
    private static final Map<Key, Loaded> LOADED = new HashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    /** What makes two loads the same model in llama.cpp. */
    record Key(Path file, int contextSize, int parallel, String threads, String chatTemplate) {
    }

    /** A loaded model, the thread count it runs with, and how many nodes use it. */
    static final class Loaded {
        final LlamaModel model;
        final int threads;
        private int users;

        Loaded(LlamaModel model, int threads) {
            this.model = model;
            this.threads = threads;
        }
    }

    /** Something that loads a model (may throw, e.g. a file that is not a model). */
    @FunctionalInterface
    interface Loader {
        Loaded load() throws Exception;
    }

    private SharedModels() {
    }

    /** The model for {@code key}, loaded by {@code loader} only if no node holds it yet. */
    static synchronized Loaded acquire(Key key, Loader loader) throws Exception {
        Loaded loaded = LOADED.get(key);
        if (loaded == null) {
            loaded = loader.load();
            LOADS.incrementAndGet();
            LOADED.put(key, loaded);
        }
        loaded.users++;
        return loaded;
    }

    /** A node is done with the model: the last one closes it. */
    static synchronized void release(Key key) {
        Loaded loaded = LOADED.get(key);
        if (loaded != null && --loaded.users == 0) {
            LOADED.remove(key);
            loaded.model.close();
        }
    }

    /** How many times a model was loaded in this process (for tests: a shared model counts once). */
    public static int loads() {
        return LOADS.get();
    }
}
