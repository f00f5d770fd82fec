package dev.flowgraph.nodes.llm;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.flowgraph.core.chat.ChatRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * A GGUF model loaded in-process for a node (the Local LLM, an Agent on a local model): loaded once per process for
 * the same file and load settings ({@link SharedModels}), its threads measured once per model and machine when asked
 * for "auto" ({@link ThreadChoices}), and the way its conversations become prompts. Close it when the node closes.
 */
public final class LocalModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalModel.class);
    /** Grammars by schema text: they depend on the schema only. */
    private static final java.util.Map<String, String> GRAMMARS = new java.util.concurrent.ConcurrentHashMap<>();

    private final SharedModels.Key key;
    private final LlamaModel model;
    private final PromptRenderer renderer;
    private final int threads;

    private LocalModel(SharedModels.Key key, LlamaModel model, PromptRenderer renderer, int threads) {
        this.key = key;
        this.model = model;
        this.renderer = renderer;
        this.threads = threads;
    }

    /**
     * Loads the model (or shares it).
     *
     * @param candidates where {@code modelPath} was looked for, for the message when it is not there
     * @param threads    a thread count, or empty for "auto"
     * @param template   "auto", "none" or a llama.cpp template name
     */
    public static LocalModel open(String nodeId, Path modelPath, List<Path> candidates, int contextSize, int parallel,
                                  OptionalInt threads, String template) throws Exception {
        if (!Files.isRegularFile(modelPath)) {
            throw new IllegalStateException(missingModelMessage(candidates));
        }
        GgufMetadata metadata = GgufMetadata.read(modelPath);
        LlamaNative.load();
        long started = System.nanoTime();
        SharedModels.Key key = new SharedModels.Key(modelPath.toAbsolutePath().normalize(), contextSize, parallel,
                threads.isPresent() ? Integer.toString(threads.getAsInt()) : "auto", template);
        int loadsBefore = SharedModels.loads();
        SharedModels.Loaded loaded = SharedModels.acquire(key, () -> {
            if (threads.isPresent()) {
                return new SharedModels.Loaded(load(modelPath, contextSize, parallel, threads.getAsInt(), template),
                        threads.getAsInt());
            }
            ThreadChoices choices = ThreadChoices.standard();
            String choice = ThreadChoices.key(modelPath, contextSize, parallel);
            OptionalInt remembered = ThreadChoices.retuneAsked() ? OptionalInt.empty() : choices.remembered(choice);
            if (remembered.isPresent()) {
                log.info("node '{}': threads auto: {}, as measured before for this model and machine "
                        + "(FLOW_RETUNE_THREADS=1 measures again)", nodeId, remembered.getAsInt());
                return new SharedModels.Loaded(load(modelPath, contextSize, parallel, remembered.getAsInt(), template),
                        remembered.getAsInt());
            }
            ThreadTuner.Result<LlamaModel> tuned = ThreadTuner.tune(t -> load(modelPath, contextSize, parallel, t,
                    template), Runtime.getRuntime().availableProcessors());
            log.info("node '{}': threads auto measured {}; using {}", nodeId, tuned.trials().stream()
                    .map(t -> String.format("%d → %.0f tokens/s", t.threads(), t.tokensPerSecond()))
                    .collect(Collectors.joining(", ")), tuned.threads());
            choices.remember(choice, tuned.threads());
            return new SharedModels.Loaded(tuned.model(), tuned.threads());
        });
        boolean shared = SharedModels.loads() == loadsBefore;
        boolean templated = switch (template) {
            case "auto" -> metadata.hasChatTemplate();
            case "none" -> false;
            default -> true;
        };
        PromptRenderer renderer = templated ? PromptRenderer.chatTemplate(loaded.model) : PromptRenderer.plainText();
        log.info("node '{}': {} {} ({} threads, context {}, {}) in {} ms", nodeId,
                shared ? "shares the already loaded" : "loaded", modelPath.getFileName(), loaded.threads, contextSize,
                templated ? "chat template " + template : "plain-text prompts", (System.nanoTime() - started) / 1_000_000);
        return new LocalModel(key, loaded.model, renderer, loaded.threads);
    }

    static String missingModelMessage(List<Path> tried) {
        return "model file not found (looked at " + tried.stream().map(Path::toString)
                .collect(Collectors.joining(", ")) + "). Put a GGUF model there: './scripts/fetch-models.sh' "
                + "copies the test model stories260K.gguf into models/ when it is available locally; otherwise "
                + "download tinyllamas/stories260K.gguf from huggingface.co/ggml-org/models into models/.";
    }

    private static LlamaModel load(Path modelPath, int contextSize, int parallel, int threads, String template) {
        ModelParameters p = new ModelParameters()
                .setModel(modelPath.toString())
                .setCtxSize(contextSize * parallel) // llama.cpp splits the context among the sequences
                .setParallel(parallel)
                .setThreads(threads)
                .setThreadsBatch(threads);
        if (!template.equals("auto") && !template.equals("none")) {
            p.setChatTemplate(template);
        }
        return new LlamaModel(LlamaNative.logOptions(p));
    }

    /**
     * llama.cpp's grammar for a JSON Schema, made once per schema; a schema its converter cannot read is refused first
     * (the converter would end the process).
     *
     * @throws IllegalArgumentException saying what in the schema cannot be used
     */
    public String grammar(String schema) {
        String made = GRAMMARS.get(schema);
        if (made != null) {
            return made;
        }
        String problem = dev.flowgraph.nodes.structured.GrammarSchema.problem(schema);
        if (problem != null) {
            throw new IllegalArgumentException("the JSON schema cannot hold the model: " + problem);
        }
        // llama.cpp's converter lets the model put up to two newlines and 20 spaces between any two tokens of the JSON;
        // a small model spends whole answers on that. One optional space keeps the JSON valid and the answer short.
        return GRAMMARS.computeIfAbsent(schema, s -> LlamaModel.jsonSchemaToGrammar(s)
                .replaceFirst("(?m)^space ::= .*$", "space ::= | \" \""));
    }

    public LlamaModel model() {
        return model;
    }

    /** The prompt text a conversation becomes for this model. */
    public String render(ChatRequest request) {
        return renderer.render(request);
    }

    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        SharedModels.release(key);
    }
}
